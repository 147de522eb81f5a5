"""Notebooks in the browser, offline: JupyterLite with the Pyodide Python kernel.

``build_lite(dest, release)`` is what the workbook build calls. It puts a
JupyterLite site in ``dest`` whose files are the release notebooks (with the data
files each one needs beside it) and whose Python runs in the browser. Nothing it
serves fetches from another host:

* the Pyodide runtime comes from the npm ``pyodide`` package of exactly the
  version the kernel package names (Pyodide's default is a CDN);
* the wheels the kernel loads when it starts come from PyPI, and the
  ``pyodide-lock.json`` we ship names those files with their real sha256 (the
  PyPI wheels differ from the ones the upstream lock hashes, and Pyodide checks);
* ``comm`` is not in the lock, so it is shipped as a piplite wheel;
* ``disablePyPIFallback`` is on, so a missing package fails instead of fetching;
* the kernel's own wheels (piplite, ipykernel, pyodide-kernel, comm) are in the lock
  too and load with the runtime, all at once: otherwise the kernel installs them one
  by one through micropip and piplite at every start, warm or cold.

The downloads are kept in a cache folder (``$INSIDEOUT_CACHE_DIR``, else
``~/.cache/insideout``), so only the first build needs the network. When npm is
missing or a download fails, the build still succeeds without the browser
notebooks and ``LiteResult.reason`` says, in plain words, what is needed.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from exercises.errors import ExercisesError

# Where a learner lands: Jupyter Notebook's simple one-document view, not the full lab.
APP = "notebooks"
# The packages the kernel's worker loads from the lock when it starts
# (initPackageManager: micropip; initKernel: ipython and jedi); their
# dependencies follow from the lock itself.
KERNEL_START_PACKAGES = ("micropip", "ipython", "jedi")
# Not in Pyodide's lock, yet the kernel needs it: shipped as a piplite wheel.
PIPLITE_REQUIREMENTS = ("comm>=0.2,<0.3",)
# The kernel's own wheels (from the kernel package, and comm above), added to the lock we
# ship and named in loadPyodideOptions: the kernel's worker then skips installing them
# through micropip and piplite (initPackageManager, initKernel), which took seconds at
# every start. Lock name -> the wheel's file name prefix.
KERNEL_WHEELS = {"piplite": "piplite-", "ipykernel": "ipykernel-", "pyodide-kernel": "pyodide_kernel-",
                 "comm": "comm-"}
# Of the npm package, the files the runtime needs (no source maps, types or demo pages).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json", "package.json")
# Build files JupyterLite writes that a learner's browser never asks for.
UNSERVED = ("rspack.config.js", "rspack.config.analyze.js", "rspack.config.watch.js",
            "jupyter-lite.ipynb", "doc")
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
NOTEBOOK_TRACKER_PLUGIN = "@jupyterlab/notebook-extension:tracker"
DOWNLOAD_TIMEOUT = 600


class LiteUnavailable(ExercisesError):
    """The browser notebooks cannot be built here; the message says what is needed."""


@dataclass(frozen=True)
class LiteResult:
    """What the workbook pages say: the app's folder, or why there is none."""

    built: bool
    reason: str = ""


def pyodide_version() -> tuple[str, str]:
    """(Pyodide version, the browser's Python version) that the kernel package names."""
    try:
        from jupyterlite_pyodide_kernel.constants import PYODIDE_PYTHON_VERSION, PYODIDE_VERSION
    except ModuleNotFoundError:
        raise LiteUnavailable("the jupyterlite-pyodide-kernel Python package "
                              "(reinstall the kit: make install)") from None
    return PYODIDE_VERSION, PYODIDE_PYTHON_VERSION


def cache_root() -> Path:
    explicit = os.environ.get("INSIDEOUT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "insideout"


def build_lite(dest: Path, release: Path, assignments: list[str]) -> LiteResult:
    """Build JupyterLite into ``dest`` with each assignment's release folder as files.

    Never raises for a missing tool or download: the result says what is needed.
    Raises ExercisesError when JupyterLite itself fails on files we gave it.
    """
    try:
        runtime = runtime_folder()
    except LiteUnavailable as missing:
        return LiteResult(False, str(missing))
    if not _jupyter_lite().is_file():
        return LiteResult(False, JUPYTERLITE_MISSING)
    with tempfile.TemporaryDirectory(prefix="insideout-lite-") as folder:
        lite_dir = Path(folder)
        shutil.copytree(runtime / "pyodide", lite_dir / "static" / "pyodide")
        try:
            add_kernel_wheels(lite_dir / "static" / "pyodide",
                              [*sorted((runtime / "piplite").glob("*.whl")),
                               *sorted((_pyodide_kernel_extension() / "static" / "pypi").glob("*.whl"))])
        except LiteUnavailable as missing:
            return LiteResult(False, str(missing))
        precompile_wheels(lite_dir / "static" / "pyodide")
        for assignment in assignments:
            shutil.copytree(release / assignment, lite_dir / "files" / assignment,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(lite_settings(), indent=2), encoding="utf-8")
        try:
            _run_jupyter_lite(lite_dir, dest, sorted((runtime / "piplite").glob("*.whl")))
        except LiteUnavailable as missing:
            shutil.rmtree(dest, ignore_errors=True)
            return LiteResult(False, str(missing))
    for name in UNSERVED:
        target = dest / name
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    check_offline_settings(dest)
    return LiteResult(True)


def lite_settings() -> dict:
    """Our jupyter-lite.json: no fallback to PyPI (JupyterLite adds the local URLs)."""
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Inside-Out notebooks",
            "litePluginSettings": {KERNEL_PLUGIN: {
                "disablePyPIFallback": True,
                # Loaded with the runtime, all at once, instead of one by one afterwards.
                "loadPyodideOptions": {"packages": [*KERNEL_START_PACKAGES, *KERNEL_WHEELS]},
            }},
            # A learner who runs a cell before Python has started would otherwise be asked to
            # "Select Kernel" (JupyterLab's own setting; there is only one kernel to choose).
            "settingsOverrides": {NOTEBOOK_TRACKER_PLUGIN: {"autoStartDefaultKernel": True}},
        },
    }


def check_offline_settings(out: Path) -> None:
    """Raise ExercisesError unless the built app loads Pyodide locally with no PyPI fallback."""
    config = json.loads((out / "jupyter-lite.json").read_text(encoding="utf-8"))
    kernel = config["jupyter-config-data"].get("litePluginSettings", {}).get(KERNEL_PLUGIN, {})
    url = kernel.get("pyodideUrl", "")
    if not url.startswith("./") or not (out / url).is_file():
        raise ExercisesError(f"JupyterLite was built without the local Pyodide (pyodideUrl {url!r}).")
    if kernel.get("disablePyPIFallback") is not True:
        raise ExercisesError("JupyterLite was built with the PyPI fallback switched on.")


def _run_jupyter_lite(lite_dir: Path, out: Path, piplite_wheels: list[Path]) -> None:
    kernel_extension = _pyodide_kernel_extension()
    command = [
        str(_jupyter_lite()), "build",
        "--lite-dir", str(lite_dir), "--output-dir", str(out),
        "--contents", str(lite_dir / "files"),
        "--apps", APP, "--no-sourcemaps", "--no-unused-shared-packages",
        # Only the kernel's extension: others installed beside the kit (nbgrader's
        # menus, widgets) would offer tools that need a Jupyter server.
        "--ignore-sys-prefix", f"--LiteBuildConfig.federated_extensions={kernel_extension}",
    ]
    for wheel in piplite_wheels:
        command += ["--piplite-wheels", str(wheel)]
    try:
        result = subprocess.run(command, cwd=lite_dir, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise LiteUnavailable(JUPYTERLITE_MISSING) from None
    except subprocess.TimeoutExpired:
        raise ExercisesError("JupyterLite took more than 10 minutes to build.") from None
    if result.returncode != 0:
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        raise ExercisesError(f"JupyterLite could not build the browser notebooks: {lines[-1] if lines else result.returncode}")


JUPYTERLITE_MISSING = "the jupyterlite-core Python package (reinstall the kit: make install)"


def _jupyter_lite() -> Path:
    return Path(sys.executable).parent / "jupyter-lite"


def _pyodide_kernel_extension() -> Path:
    import jupyterlite_pyodide_kernel

    name = "@jupyterlite/pyodide-kernel-extension"
    candidates = [Path(sys.prefix) / "share" / "jupyter" / "labextensions" / name,
                  Path(jupyterlite_pyodide_kernel.__file__).parent / "labextension"]
    for candidate in candidates:
        if (candidate / "package.json").is_file():
            return candidate
    raise LiteUnavailable("the Pyodide kernel's JupyterLite extension (reinstall the kit: make install)")


# --- the runtime and the wheels, downloaded once into the cache ----------------

def runtime_folder() -> Path:
    """The cached runtime for this Pyodide version, downloading it the first time.

    Holds ``pyodide/`` (the npm runtime, the kernel's start-up wheels and a lock
    naming them) and ``piplite/`` (wheels not in the lock). Built in a temporary
    folder and renamed into place, so an interrupted download is never used.
    Raises LiteUnavailable saying what is missing when npm or a download fails.
    """
    version, python = pyodide_version()
    final = cache_root() / f"pyodide-{version}"
    if (final / "pyodide" / "pyodide-lock.json").is_file():
        return final
    npm = shutil.which("npm")
    if npm is None:
        raise LiteUnavailable("npm, the Node.js package manager, to download the Python that "
                              "runs in the browser (Debian/Ubuntu: sudo apt-get install npm)")
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".pyodide-{version}-", dir=final.parent))
    try:
        runtime = staging / "pyodide"
        runtime.mkdir()
        upstream_lock = _npm_runtime(npm, version, staging, runtime)
        wheels = staging / "wheels"
        _pip_download(python, [f"{spec['name']}=={spec['version']}"
                               for spec in start_packages(upstream_lock)], wheels)
        lock = lock_for_wheels(upstream_lock, sorted(wheels.glob("*.whl")))
        for spec in lock["packages"].values():
            shutil.move(wheels / spec["file_name"], runtime / spec["file_name"])
        (runtime / "pyodide-lock.json").write_text(json.dumps(lock, indent=1), encoding="utf-8")
        _pip_download(python, list(PIPLITE_REQUIREMENTS), staging / "piplite")
        shutil.rmtree(wheels)
        if final.exists():  # another build finished first
            shutil.rmtree(staging)
        else:
            staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def _npm_runtime(npm: str, version: str, staging: Path, runtime: Path) -> dict:
    """Fetch the npm ``pyodide`` package; copy its runtime files; return its lock."""
    packed = staging / "npm"
    packed.mkdir()
    result = _download([npm, "pack", f"pyodide@{version}", "--pack-destination", str(packed), "--silent"],
                       f"Pyodide {version} from npm")
    tarballs = list(packed.glob("pyodide-*.tgz"))
    if not tarballs:
        raise LiteUnavailable(f"Pyodide {version} from npm (npm pack made no file: {result.strip()[:200]})")
    with tarfile.open(tarballs[0]) as archive:
        archive.extractall(packed, filter="data")
    for name in RUNTIME_FILES:
        source = packed / "package" / name
        if not source.is_file():
            raise LiteUnavailable(f"a complete Pyodide {version} (the npm package has no {name})")
        if name != "pyodide-lock.json":
            shutil.copy2(source, runtime / name)
    lock = json.loads((packed / "package" / "pyodide-lock.json").read_text(encoding="utf-8"))
    shutil.rmtree(packed)
    return lock


def _pip_download(python: str, requirements: list[str], into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    _download([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
               "--python-version", python, "--dest", str(into), *requirements],
              "the Python packages the browser notebook starts with, from PyPI")


def _download(command: list[str], what: str) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise LiteUnavailable(f"{what} (the download took more than {DOWNLOAD_TIMEOUT // 60} minutes)") from None
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip() and "WARNING" not in line]
        raise LiteUnavailable(f"{what} (the download failed: {lines[-1][:200] if lines else result.returncode})")
    return result.stdout


def normal_name(name: str) -> str:
    """PEP 503 name normalisation: ``Prompt_Toolkit`` -> ``prompt-toolkit``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def start_packages(lock: dict) -> list[dict]:
    """Lock entries for the kernel's start-up packages and everything they depend on."""
    by_name = {normal_name(key): spec for key, spec in lock["packages"].items()}
    found: dict[str, dict] = {}
    waiting = list(KERNEL_START_PACKAGES)
    while waiting:
        name = normal_name(waiting.pop())
        if name in found:
            continue
        if name not in by_name:
            raise LiteUnavailable(f"a Pyodide lock that lists {name} (this one does not)")
        found[name] = by_name[name]
        waiting.extend(by_name[name].get("depends", []))
    return [found[name] for name in sorted(found)]


def lock_for_wheels(lock: dict, wheels: list[Path]) -> dict:
    """The lock with only the start-up packages, naming the wheels we ship and their sha256.

    Raises LiteUnavailable when a start-up package has no wheel among ``wheels``.
    """
    by_name: dict[str, Path] = {}
    for wheel in wheels:
        by_name[normal_name(wheel.name.split("-")[0])] = wheel
    packages = {}
    for spec in start_packages(lock):
        wheel = by_name.get(normal_name(spec["name"]))
        if wheel is None:
            raise LiteUnavailable(f"a wheel of {spec['name']} {spec['version']} from PyPI (none was downloaded)")
        key = next(k for k, v in lock["packages"].items() if v is spec)
        packages[key] = dict(spec, file_name=wheel.name,
                             sha256=hashlib.sha256(wheel.read_bytes()).hexdigest())
    return dict(lock, packages=packages)


def add_kernel_wheels(runtime: Path, wheels: list[Path]) -> None:
    """Copy the kernel's own wheels into ``runtime`` and name them in its ``pyodide-lock.json``.

    Raises LiteUnavailable when one of :data:`KERNEL_WHEELS` is not among ``wheels``.
    """
    lock_path = runtime / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    for name, prefix in KERNEL_WHEELS.items():
        found = [wheel for wheel in wheels if wheel.name.startswith(prefix) and wheel.suffix == ".whl"]
        if not found:
            raise LiteUnavailable(f"the kernel's {name} wheel (reinstall the kit: make install)")
        wheel = found[-1]
        shutil.copy2(wheel, runtime / wheel.name)
        depends = sorted(normal_name(other) for other in _wheel_requirements(wheel) if normal_name(other) in
                         {normal_name(key) for key in [*lock["packages"], *KERNEL_WHEELS]})
        lock["packages"][name] = {
            "name": name, "version": wheel.name[len(prefix):].split("-")[0], "file_name": wheel.name,
            "install_dir": "site", "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "package_type": "package", "imports": [prefix.rstrip("-")], "depends": depends,
            "unvendored_tests": False, "shared_library": False,
        }
    lock_path.write_text(json.dumps(lock, indent=1), encoding="utf-8")


# Run by Node.js with the Pyodide we ship: each start-up wheel's .py files become .pyc
# files (sourceless, as Pyodide's own distribution ships its packages), compiled by the
# browser's own Python, so a learner's browser does not compile IPython and jedi from
# source at every start (it cannot keep bytecode between visits).
PRECOMPILE_JS = """
import { pathToFileURL } from "node:url";
const [runtime, names] = [process.argv[2], process.argv.slice(3)];
const { loadPyodide } = await import(pathToFileURL(runtime + "/pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: runtime + "/" });
pyodide.FS.mkdirTree("/wheels");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: runtime }, "/wheels");
pyodide.globals.set("NAMES", pyodide.toPy(names));
pyodide.runPython(`
import importlib.util, marshal, os, site, zipfile
target = site.getsitepackages()[0]
for name in NAMES:
    source, temporary = "/wheels/" + name, "/wheels/" + name + ".pyc-build"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith(".py") and ".dist-info/" not in info.filename:
                code = compile(data, target + "/" + info.filename, "exec", dont_inherit=True)
                compiled = zipfile.ZipInfo(info.filename + "c", info.date_time)
                compiled.compress_type = zipfile.ZIP_DEFLATED
                new.writestr(compiled, importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code))
            else:
                new.writestr(info, data)
    os.replace(temporary, source)
`);
"""


def precompile_wheels(runtime: Path) -> bool:
    """Compile the pure-Python wheels in ``runtime``'s lock to bytecode, in place, with
    the browser's Python (run by Node.js), and give the lock their new sha256.

    Returns False, leaving the wheels as they were, when Node.js is missing or the
    compilation fails: the notebooks then work as before, only slower to start.
    """
    node = shutil.which("node")
    if node is None:
        return False
    lock_path = runtime / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    wheels = sorted(spec["file_name"] for spec in lock["packages"].values()
                    if spec["file_name"].endswith("-none-any.whl"))
    backup = Path(tempfile.mkdtemp(prefix="insideout-wheels-"))
    try:
        for name in wheels:
            shutil.copy2(runtime / name, backup / name)
        script = backup / "precompile.mjs"
        script.write_text(PRECOMPILE_JS, encoding="utf-8")
        try:
            result = subprocess.run([node, str(script), str(runtime.resolve()), *wheels],
                                    capture_output=True, text=True, timeout=600)
            ok = result.returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if not ok:
            for name in wheels:
                shutil.copy2(backup / name, runtime / name)
            return False
    finally:
        shutil.rmtree(backup, ignore_errors=True)
    for spec in lock["packages"].values():
        if spec["file_name"] in wheels:
            spec["sha256"] = hashlib.sha256((runtime / spec["file_name"]).read_bytes()).hexdigest()
    lock_path.write_text(json.dumps(lock, indent=1), encoding="utf-8")
    return True


def _wheel_requirements(wheel: Path) -> list[str]:
    """The names in a wheel's ``Requires-Dist`` lines (no extras or markers)."""
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        lines = archive.read(metadata).decode("utf-8").splitlines()
    return [re.split(r"[\s;<>=!~\[(]", line.split(":", 1)[1].strip())[0]
            for line in lines if line.startswith("Requires-Dist:") and "extra ==" not in line]


def site_megabytes(folder: Path) -> float:
    """What a folder adds to the site, in MB (10^6 bytes)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
