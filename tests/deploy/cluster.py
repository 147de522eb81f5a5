"""A college deployment on loopback: PostgreSQL, sandbox servers, a grader, and nginx.

Each piece is started as the README's deployment section tells a person to: the sandbox
with ``insideout sandbox run --port``, the grader with ``insideout grader run``, nginx
with ``nginx -c FILE -p PREFIX`` from the repository's own ``sandbox/deploy/nginx.conf``.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from sandbox.deploy import nginx_config
from sandbox.store import create_schema, make_engine
from tests.conftest import free_port

STARTUP_S = 90


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def insideout(*args: str) -> list[str]:
    return [sys.executable, "-m", "sandbox.cli", *args]


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path
    url: str = ""

    def stop(self, sig: int = signal.SIGTERM, grace: float = 15) -> None:
        """Stop the whole process group (the CLI, its Streamlit server, its graders)."""
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, sig)
        except ProcessLookupError:
            return
        try:
            self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start(name: str, argv: list[str], folder: Path, env: dict[str, str]) -> Process:
    log = folder / f"{name}.log"
    with log.open("w") as out:
        popen = subprocess.Popen(argv, env=env, cwd=folder, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    return Process(name, popen, log)


def wait_healthy(process: Process, path: str = "/_stcore/health") -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} stopped while starting:\n{process.log_tail()}")
        try:
            with urllib.request.urlopen(process.url + path, timeout=3) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{process.name} did not answer within {STARTUP_S} s:\n{process.log_tail()}")


def readable_folder() -> Path:
    """A folder nginx's workers can read: run as root, nginx serves files as ``nobody``,
    who cannot enter pytest's private temporary folders. The caller removes it."""
    folder = Path(tempfile.mkdtemp(prefix="insideout-deploy-"))
    folder.chmod(0o755)
    return folder


def private_schema(admin_url: str) -> tuple[str, str]:
    """A fresh, migrated schema on the test PostgreSQL; returns (schema, its URL)."""
    schema = f"insideout_deploy_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(admin_url).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    engine = make_engine(url_text)
    create_schema(engine)
    engine.dispose()
    return schema, url_text


def drop_schema(admin_url: str, schema: str) -> None:
    admin = make_engine(admin_url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@dataclass
class Cluster:
    folder: Path
    env: dict[str, str]
    sandboxes: list[Process] = field(default_factory=list)
    others: list[Process] = field(default_factory=list)
    proxy: Process | None = None

    def create_workshop(self, title: str) -> dict:
        done = subprocess.run(insideout("workshop", "create", "--title", title, "--json"), env=self.env,
                              cwd=self.folder, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def stop(self) -> None:
        for process in [*self.sandboxes, *self.others, *([self.proxy] if self.proxy else [])]:
            process.stop()


def start_cluster(folder: Path, database_url: str, servers: int = 2, graders: int = 1,
                  extra_env: dict[str, str] | None = None) -> Cluster:
    """``servers`` sandboxes and ``graders`` grader processes on one store, nginx in front."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "INSIDEOUT_DATABASE_URL": database_url, "INSIDEOUT_DATA_DIR": str(folder / "data"),
           "INSIDEOUT_TRUSTED_PROXIES": "127.0.0.1", **(extra_env or {})}
    cluster = Cluster(folder, env)
    try:
        for number in range(servers):
            port = free_port()
            process = start(f"sandbox{number + 1}", insideout("sandbox", "run", "--port", str(port), "--graders", "0"),
                            folder, env)
            process.url = f"http://127.0.0.1:{port}"
            cluster.sandboxes.append(process)
        for number in range(graders):
            cluster.others.append(start(f"grader{number + 1}", insideout("grader", "run", "--workers", "1"),
                                        folder, env))
        prefix = folder / "nginx"
        for sub in ("logs", "tmp"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        site = folder / "site"
        site.mkdir(exist_ok=True)
        (site / "index.html").write_text("<!doctype html><title>Course</title><h1>Inside-Out course</h1>")
        port = free_port()
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_config(f"127.0.0.1:{port}", [p.url.removeprefix("http://") for p in cluster.sandboxes],
                                     site))
        cluster.proxy = start("nginx", [find_nginx(), "-c", str(conf), "-p", f"{prefix}/", "-g", "daemon off;"],
                              folder, env)
        cluster.proxy.url = f"http://127.0.0.1:{port}"
        for process in cluster.sandboxes:
            wait_healthy(process)
        wait_healthy(cluster.proxy, "/healthz")
    except BaseException:
        cluster.stop()
        raise
    return cluster


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants, in MB (Linux /proc)."""
    total_kb = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
        pids.extend(int(child) for child in children)
    return total_kb / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by ``pid`` and its living descendants (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        pids.extend(int(child) for child in children)
    return total / ticks
