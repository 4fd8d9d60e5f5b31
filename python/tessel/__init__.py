"""Tessel from Python: workloads, accelerators, mappings, cost models,
search and simulation (docs/python.md).

    import tessel
    gemm = tessel.Problem.einsum("mk,kn->mn", m=64, n=64, k=64)
    arch = tessel.Arch.load("eyeriss")
    best = tessel.map(gemm, arch, budget=2000)
    print(best.report.cycles, tessel.verify(gemm, arch, best.mapping))

The classes and functions are those of the compiled module tessel._tessel;
each calls the library function the matching `tessel` command calls.
"""
from ._tessel import (  # noqa: F401
    __version__,
    Arch,
    Level,
    MapResult,
    Mapping,
    Problem,
    Report,
    SetAsideOp,
    Tensor,
    TesselError,
    Workloads,
    evaluate,
    from_mlir_string,
    load_mapped,
    load_workloads,
    map,
    mappers,
    models,
    presets,
    simulate,
    validate,
    verify,
)
from . import _tessel

#: The issue's name for the exception of bad input (file, line, column,
#: reasons); the same class as TesselError.
InputError = TesselError

__all__ = [
    "Arch", "InputError", "Level", "MapResult", "Mapping", "Problem",
    "Report", "SetAsideOp", "Tensor", "TesselError", "Workloads", "evaluate",
    "from_mlir_string", "load_mapped", "load_workloads", "map", "mappers",
    "models", "presets", "simulate", "validate", "verify",
]


def _einsum(spec, dtype="f32", tensors=None, name="einsum", **bounds):
    """A Problem from an einsum: Problem.einsum("mk,kn->mn", m=64, n=64, k=64).

    Two inputs and an output, one letter per index; the output reduces over
    the indices absent from it. Dimensions are the output's indices, then
    the reduced ones. `dtype` is every tensor's MLIR element type ("f32",
    "i8", "bf16", ...); `tensors` names them (default ("A", "B", "C")).
    """
    return _tessel._einsum(spec, bounds, dtype, list(tensors or []), name)


def _to_pandas(report):
    """The actions per level x tensor as a pandas DataFrame (one row per
    level x tensor, the columns of Report.actions); the totals are in
    df.attrs. Needs pandas (Debian: python3-pandas)."""
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            "Report.to_pandas() needs pandas, which is not installed "
            "(Debian: apt-get install python3-pandas; or pip install "
            "pandas); Report.to_dict() gives the same figures without it"
        ) from error
    figures = report.to_dict()
    frame = pandas.DataFrame(figures.pop("actions"))
    frame.attrs.update(figures)
    return frame


Problem.einsum = staticmethod(_einsum)
Report.to_pandas = _to_pandas
