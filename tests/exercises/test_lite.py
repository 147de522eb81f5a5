"""The browser notebooks' build (exercises/lite.py): the lock we ship, and life without npm."""
from __future__ import annotations

import hashlib
import json

import pytest

from exercises import lite
from exercises.errors import ExercisesError


def lock_with(**packages) -> dict:
    """A Pyodide lock: name -> (version, depends)."""
    return {
        "info": {"python": "3.14.2"},
        "packages": {
            name: {"name": name, "version": version, "depends": depends,
                   "file_name": f"{name}-{version}-upstream.whl", "sha256": "0" * 64,
                   "package_type": "package", "imports": [name], "install_dir": "site"}
            for name, (version, depends) in packages.items()
        },
    }


def kernel_lock(**extra) -> dict:
    return lock_with(
        micropip=("0.11.1", []),
        ipython=("9.12.0", ["traitlets", "prompt_toolkit"]),
        jedi=("0.19.2", ["parso"]),
        traitlets=("5.14.3", []),
        prompt_toolkit=("3.0.52", ["wcwidth"]),
        wcwidth=("0.6.0", []),
        parso=("0.8.6", []),
        **extra,
    )


def test_start_packages_follow_the_locks_dependencies():
    lock = kernel_lock(numpy=("2.3.0", []), pandas=("2.3.0", ["numpy"]))
    names = [spec["name"] for spec in lite.start_packages(lock)]
    assert names == ["ipython", "jedi", "micropip", "parso", "prompt_toolkit", "traitlets", "wcwidth"]


def test_start_packages_name_a_dependency_the_lock_lacks():
    lock = kernel_lock()
    del lock["packages"]["parso"]
    with pytest.raises(lite.LiteUnavailable, match="lists parso"):
        lite.start_packages(lock)


def test_lock_names_the_shipped_wheels_with_their_real_hashes(tmp_path):
    lock = kernel_lock(numpy=("2.3.0", []))
    wheels = []
    for spec in lite.start_packages(lock):
        # PyPI spells some names differently from the lock (prompt_toolkit, Pygments).
        wheel = tmp_path / f"{spec['name'].replace('-', '_')}-{spec['version']}-py3-none-any.whl"
        wheel.write_bytes(f"the real {spec['name']} wheel".encode())
        wheels.append(wheel)
    shipped = lite.lock_for_wheels(lock, wheels)
    assert "numpy" not in shipped["packages"], "the lock names only what we ship"
    assert shipped["info"] == lock["info"]
    for wheel in wheels:
        spec = next(s for s in shipped["packages"].values() if s["file_name"] == wheel.name)
        assert spec["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert lock["packages"]["jedi"]["sha256"] == "0" * 64, "the upstream lock is left as it was"


def test_lock_without_a_downloaded_wheel_says_which(tmp_path):
    (tmp_path / "jedi-0.19.2-py3-none-any.whl").write_bytes(b"jedi")
    with pytest.raises(lite.LiteUnavailable, match="wheel of ipython 9.12.0"):
        lite.lock_for_wheels(kernel_lock(), [tmp_path / "jedi-0.19.2-py3-none-any.whl"])


def test_without_npm_the_build_says_what_is_needed_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIDEOUT_CACHE_DIR", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    release = tmp_path / "release"
    (release / "m01-inside-out").mkdir(parents=True)
    result = lite.build_lite(tmp_path / "lite", release, ["m01-inside-out"])
    assert not result.built
    assert "npm, the Node.js package manager" in result.reason
    assert "apt-get install npm" in result.reason
    assert not (tmp_path / "lite").exists()


def test_cache_folder_is_chosen_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INSIDEOUT_CACHE_DIR", str(tmp_path / "mine"))
    assert lite.cache_root() == tmp_path / "mine"
    monkeypatch.delenv("INSIDEOUT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert lite.cache_root() == tmp_path / "xdg" / "insideout"


def test_offline_settings_are_checked_after_the_build(tmp_path):
    (tmp_path / "static" / "pyodide").mkdir(parents=True)
    (tmp_path / "static" / "pyodide" / "pyodide.mjs").write_text("// runtime")

    def write(settings):
        config = {"jupyter-config-data": {"litePluginSettings": {lite.KERNEL_PLUGIN: settings}}}
        (tmp_path / "jupyter-lite.json").write_text(json.dumps(config))

    write({"pyodideUrl": "./static/pyodide/pyodide.mjs", "disablePyPIFallback": True})
    lite.check_offline_settings(tmp_path)
    write({"pyodideUrl": "https://cdn.jsdelivr.net/pyodide/v314.0.6/full/pyodide.mjs",
           "disablePyPIFallback": True})
    with pytest.raises(ExercisesError, match="without the local Pyodide"):
        lite.check_offline_settings(tmp_path)
    write({"pyodideUrl": "./static/pyodide/pyodide.mjs"})
    with pytest.raises(ExercisesError, match="PyPI fallback"):
        lite.check_offline_settings(tmp_path)


@pytest.mark.slow
def test_site_builds_without_npm_and_each_exercise_says_what_is_needed(tmp_path):
    """The whole `insideout site build`, as on a machine without npm and an empty cache."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from exercises.release_tools import ASSIGNMENTS
    from tests.conftest import ROOT

    env = dict(os.environ, PATH=str(Path(sys.executable).parent),  # the kit's tools, no npm
               INSIDEOUT_CACHE_DIR=str(tmp_path / "empty-cache"), NO_MKDOCS_2_WARNING="1")
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "sandbox.cli", "site", "build", "--out", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert not (out / "workbook" / "lite").exists()
    for assignment in ASSIGNMENTS:
        page = (out / "workbook" / assignment / f"{assignment}.html").read_text(encoding="utf-8")
        assert "Open in your browser is not available on this copy of the workbook." in page
        assert "npm, the Node.js package manager" in page and "sudo apt-get install npm" in page
        assert "insideout site build</code> again" in page
        assert 'class="workbook-open"' not in page
        assert f'href="{assignment}.ipynb" download' in page, "the download still works"


def test_without_jupyterlite_the_build_says_what_is_needed(tmp_path, monkeypatch):
    """A runtime in the cache, but no jupyter-lite command beside this Python."""
    version, _ = lite.pyodide_version()
    runtime = tmp_path / "cache" / f"pyodide-{version}"
    (runtime / "pyodide").mkdir(parents=True)
    (runtime / "pyodide" / "pyodide-lock.json").write_text("{}")
    (runtime / "piplite").mkdir()
    monkeypatch.setenv("INSIDEOUT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(lite.sys, "executable", str(tmp_path / "no-venv" / "bin" / "python"))
    release = tmp_path / "release"
    (release / "m01-inside-out").mkdir(parents=True)
    result = lite.build_lite(tmp_path / "lite", release, ["m01-inside-out"])
    assert not result.built
    assert "jupyterlite-core" in result.reason and "make install" in result.reason
    assert not (tmp_path / "lite").exists()


def fake_wheel(folder, file_name: str, *requires: str):
    """A wheel with just a METADATA file naming its requirements."""
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    name, version = file_name.split("-")[:2]
    lines = [f"Name: {name}", f"Version: {version}", *(f"Requires-Dist: {r}" for r in requires),
             'Requires-Dist: pytest ; extra == "test"']
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(lines))
    return path


def test_the_kernels_own_wheels_load_with_the_runtime(tmp_path):
    """piplite, ipykernel, pyodide-kernel and comm are in the lock we ship and in the start
    packages, so the kernel does not install them through micropip at every start."""
    runtime = tmp_path / "pyodide"
    runtime.mkdir()
    (runtime / "pyodide-lock.json").write_text(json.dumps(kernel_lock()))
    wheels = [fake_wheel(tmp_path / "piplite", "comm-0.2.3-py3-none-any.whl"),
              fake_wheel(tmp_path / "pypi", "piplite-0.8.6-py3-none-any.whl"),
              fake_wheel(tmp_path / "pypi", "ipykernel-6.9.2-py3-none-any.whl", "comm", "ipython"),
              fake_wheel(tmp_path / "pypi", "pyodide_kernel-0.8.6-py3-none-any.whl", "comm", "ipython>=8"),
              fake_wheel(tmp_path / "pypi", "widgetsnbextension-4.0.999-py3-none-any.whl")]
    lite.add_kernel_wheels(runtime, wheels)
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    kernel = lock["packages"]["pyodide-kernel"]
    assert kernel["file_name"] == "pyodide_kernel-0.8.6-py3-none-any.whl" and kernel["version"] == "0.8.6"
    assert kernel["depends"] == ["comm", "ipython"] and kernel["imports"] == ["pyodide_kernel"]
    assert kernel["sha256"] == hashlib.sha256((runtime / kernel["file_name"]).read_bytes()).hexdigest()
    assert lock["packages"]["piplite"]["depends"] == []
    assert "widgetsnbextension" not in lock["packages"]
    assert "ipython" in lock["packages"], "the runtime's own packages stay"
    started = lite.lite_settings()["jupyter-config-data"]["litePluginSettings"][lite.KERNEL_PLUGIN]
    # The kernel skips its piplite installs only for names it finds in this list.
    assert {"piplite", "ipykernel", "comm", "pyodide-kernel"} <= set(started["loadPyodideOptions"]["packages"])
    with pytest.raises(lite.LiteUnavailable, match="the kernel's ipykernel wheel"):
        lite.add_kernel_wheels(runtime, [w for w in wheels if not w.name.startswith("ipykernel")])


def test_start_up_wheels_are_compiled_by_the_browsers_python(tmp_path):
    """The lock's pure-Python wheels become bytecode (no .py left to compile in the browser),
    with their new sha256 in the lock; without Node.js they stay as they were."""
    import shutil
    import zipfile

    version, _ = lite.pyodide_version()
    cached = lite.cache_root() / f"pyodide-{version}" / "pyodide"
    if shutil.which("node") is None or not (cached / "pyodide.mjs").is_file():
        pytest.skip("needs Node.js and the Pyodide runtime that the first `insideout site build` downloads")
    runtime = tmp_path / "pyodide"
    runtime.mkdir()
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "package.json"):
        shutil.copy2(cached / name, runtime / name)
    wheel = runtime / "tiny-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("tiny/__init__.py", "ANSWER = 42\n")
        archive.writestr("tiny-1.0.dist-info/METADATA", "Name: tiny\nVersion: 1.0\n")
    lock = json.loads((cached / "pyodide-lock.json").read_text())  # the runtime checks the lock's info
    lock["packages"] = {"tiny": dict(kernel_lock()["packages"]["micropip"], name="tiny", file_name=wheel.name)}
    (runtime / "pyodide-lock.json").write_text(json.dumps(lock))
    assert lite.precompile_wheels(runtime)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        compiled = archive.read("tiny/__init__.pyc")
    assert "tiny/__init__.pyc" in names and "tiny/__init__.py" not in names
    assert "tiny-1.0.dist-info/METADATA" in names
    assert compiled[16:] and compiled[:4] != b"\0\0\0\0"  # a magic number, then the code
    shipped = json.loads((runtime / "pyodide-lock.json").read_text())["packages"]["tiny"]
    assert shipped["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    before = wheel.read_bytes()
    (runtime / "pyodide.asm.wasm").write_bytes(b"broken")  # the compilation fails: nothing changes
    assert not lite.precompile_wheels(runtime)
    assert wheel.read_bytes() == before
