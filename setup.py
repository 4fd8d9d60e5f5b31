"""Installs the `tessel` Python module: pip install --no-build-isolation .

Uses Debian's setuptools (nothing is downloaded): the build runs
scripts/build.sh (the same CMake build as everything else, into ./build or
$TESSEL_BUILD_DIR) and packages python/tessel with the extension it built.
"""
import os
import shutil
import subprocess

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

ROOT = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("TESSEL_BUILD_DIR", os.path.join(ROOT, "build"))


def version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        for line in f:
            if line.startswith("project(Tessel VERSION"):
                return line.split("VERSION")[1].split()[0]
    raise RuntimeError("no version in CMakeLists.txt")


class BuildWithCMake(build_py):
    """Builds Tessel with CMake, then adds the extension to the package."""

    def run(self):
        subprocess.check_call([os.path.join(ROOT, "scripts", "build.sh")])
        super().run()
        built = os.path.join(BUILD, "python", "tessel")
        extensions = [n for n in os.listdir(built)
                      if n.startswith("_tessel") and n.endswith(".so")]
        if not extensions:
            raise RuntimeError("the build made no _tessel*.so in " + built +
                               " (is pybind11-dev installed? scripts/deps.sh)")
        target = os.path.join(self.build_lib, "tessel")
        os.makedirs(target, exist_ok=True)
        for name in extensions:
            shutil.copy2(os.path.join(built, name), target)
        # The simulator's SystemC module, loaded from beside the extension
        # when the build's copy is gone (sim/StructuralTop.cpp).
        shutil.copy2(os.path.join(BUILD, "lib", "libtessel_systemc.so"),
                     target)


class BinaryDistribution(Distribution):
    """The package holds a compiled extension: a platform wheel."""

    def has_ext_modules(self):
        return True


setup(
    name="tessel",
    version=version(),
    description="Map tensor ops onto spatial accelerators; model and "
                "simulate what they cost",
    packages=["tessel"],
    package_dir={"tessel": "python/tessel"},
    package_data={"tessel": ["_tessel.pyi", "py.typed"]},
    cmdclass={"build_py": BuildWithCMake},
    distclass=BinaryDistribution,
    python_requires=">=3.9",
)
