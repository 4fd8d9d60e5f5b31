# lit configuration for Tessel's tool tests (tessel, tessel-opt).
import os
import lit.formats

config.name = "Tessel"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tessel_bin_dir, "..", "test", "lit")

config.environment["PATH"] = os.pathsep.join(
    [config.tessel_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%root", config.tessel_source_dir))
config.substitutions.append(("%zoo", os.path.join(config.tessel_source_dir, "workloads", "zoo")))
config.substitutions.append(("%presets", os.path.join(config.tessel_source_dir, "arch", "presets")))
import sys
config.substitutions.append(("%python", sys.executable))

# `tessel-mpi` and Open MPI's mpirun: the sweep's MPI tests.
import shutil
if shutil.which("mpirun") and os.path.exists(os.path.join(config.tessel_bin_dir, "tessel-mpi")):
    config.available_features.add("mpi")
    # Root may run mpirun (CI and this machine run as root).
    config.environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    config.environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
