"""Serve the dashboard as it is hosted: nginx in front of several ``streamlit run app.py`` processes.

    python -m deploy.serve --port 8080 --backends 8501 8502

starts one dashboard process per backend port (on 127.0.0.1), waits until each answers on
``/_stcore/health``, renders ``deploy/nginx.conf.template`` into a private run folder (its own
pid file, logs and temporary paths; not Debian's nginx service) and runs nginx in the foreground on
``--port``. While it runs, it checks every backend's health and restarts a process that exited.
Ctrl-C stops nginx and the backends. ``tests/test_proxy.py`` starts the same thing through
:func:`serve`.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "127.0.0.1"
SETUP_HINT = "run 'bash scripts/setup.sh --dev' as root (it installs Debian's nginx), or 'apt-get install -y nginx'"


class DeployError(RuntimeError):
    """Something the hosted setup needs is missing or did not come up."""


def render_config(
    template: str,
    *,
    listen: str,
    backends: Sequence[str],
    run_dir: Path,
    user: str | None = None,
    max_fails: int = 1,
    fail_timeout: int = 10,
) -> str:
    """The nginx configuration: ``template`` with its fields in double braces filled.

    ``backends`` are ``host:port`` addresses; a backend is taken out for ``fail_timeout`` seconds
    after ``max_fails`` failed requests (nginx's passive health check). ``user`` is the account the
    worker processes run as when nginx starts as root (None: no ``user`` line)."""
    if not backends:
        raise ValueError("render_config needs at least one backend address")
    servers = "\n".join(
        f"        server {addr} max_fails={max_fails} fail_timeout={fail_timeout}s;" for addr in backends
    )
    fields = {
        "{{USER}}": f"user {user};" if user else "# (not started as root: no user line)",
        "{{RUN_DIR}}": str(run_dir),
        "{{UPSTREAM_SERVERS}}": servers,
        "{{LISTEN}}": listen,
    }
    text = template
    for name, value in fields.items():
        text = text.replace(name, value)
    if "{{" in text:
        left = sorted({part.split("}}")[0] for part in text.split("{{")[1:]})
        raise ValueError(f"the nginx template has fields render_config does not fill: {left}")
    return text


def worker_user() -> str | None:
    """The account nginx's workers run as: Debian's www-data when started as root, else none."""
    if os.geteuid() != 0:
        return None
    for name in ("www-data", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return f"{name} nogroup" if name == "nobody" else name
    raise DeployError("nginx runs as root here but neither the www-data nor the nobody account exists")


def get(
    host: str, port: int, path: str, timeout: float = 2.0, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One plain HTTP GET: status, headers (lower-case names; a repeated header's values joined by
    ", ") and body."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        joined: dict[str, str] = {}
        for name, value in r.getheaders():
            joined[name.lower()] = f"{joined[name.lower()]}, {value}" if name.lower() in joined else value
        return r.status, joined, r.read()
    finally:
        conn.close()


def healthy(host: str, port: int, timeout: float = 2.0) -> bool:
    """Whether ``/_stcore/health`` on host:port answers 200 "ok"."""
    try:
        status, _, body = get(host, port, "/_stcore/health", timeout)
    except OSError:
        return False
    return status == 200 and body.strip() == b"ok"


@dataclass
class Backend:
    """One ``streamlit run app.py`` process behind the proxy."""

    port: int
    log: Path
    env: dict[str, str]
    process: subprocess.Popen | None = None

    @property
    def addr(self) -> str:
        return f"{HOST}:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            HOST,
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=self.env)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def healthy(self) -> bool:
        return self.running() and healthy(HOST, self.port)

    def stop(self, timeout: float = 10) -> None:
        """Stop the process (SIGTERM, then SIGKILL after ``timeout`` seconds)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Deployment:
    """The running proxy and its backends."""

    url: str
    run_dir: Path
    backends: dict[str, Backend]
    nginx: subprocess.Popen
    config: Path
    access_log: Path = field(init=False)
    error_log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.access_log = self.run_dir / "access.log"
        self.error_log = self.run_dir / "error.log"

    def backend_from_header(self, value: str) -> Backend:
        """The backend that answered, from an ``X-Dashboard-Backend`` value (nginx lists every
        backend it tried, the one that answered last)."""
        addr = value.split(",")[-1].strip()
        if addr not in self.backends:
            raise KeyError(f"X-Dashboard-Backend {value!r} names no backend of this deployment ({list(self.backends)})")
        return self.backends[addr]

    def health(self) -> dict[str, bool]:
        """Each backend's own ``/_stcore/health`` answer, by address (the run script's active check)."""
        return {addr: b.healthy() for addr, b in self.backends.items()}

    def logs(self) -> str:
        """Every log of the deployment, for a failure message."""
        parts = []
        for path in [self.error_log, self.run_dir / "nginx.out", *(b.log for b in self.backends.values())]:
            if path.exists():
                parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)


def _wait_until(check, what: str, timeout: float, logs) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise DeployError(f"{what} did not come up in {timeout:.0f} s:\n{logs()}")
        time.sleep(0.2)


@contextlib.contextmanager
def serve(
    port: int,
    backend_ports: Sequence[int],
    run_dir: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 90,
) -> Iterator[Deployment]:
    """Start the backends and nginx in front of them on ``port``; stop them all afterwards.

    ``run_dir`` receives the rendered configuration, nginx's logs and pid file and each backend's
    log. The backends share one cookie secret, as replicas must (Streamlit signs its cookies with it).
    Raises :class:`DeployError` naming what is missing or what did not come up, with the logs."""
    if not Path(NGINX).is_file():
        raise DeployError(f"nginx is not installed (looked for {NGINX}): {SETUP_HINT}")
    if len(set(backend_ports)) != len(backend_ports) or port in backend_ports:
        raise ValueError(f"the proxy port {port} and the backend ports {list(backend_ports)} must all differ")
    run_dir = Path(run_dir).resolve()
    (run_dir / "temp").mkdir(parents=True, exist_ok=True)
    shared = {
        **os.environ,
        **(env or {}),
        "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
    }
    backends = {b.addr: b for b in (Backend(p, run_dir / f"backend-{p}.log", shared) for p in backend_ports)}
    nginx: subprocess.Popen | None = None

    def backend_logs() -> str:
        return "\n".join(f"--- {b.log.name}\n{b.log.read_text(errors='replace')[-4000:]}" for b in backends.values())

    try:
        for b in backends.values():
            b.start()
        for b in backends.values():
            _wait_until(b.healthy, f"the dashboard process on port {b.port}", timeout, backend_logs)

        config = run_dir / "nginx.conf"
        config.write_text(
            render_config(
                TEMPLATE.read_text(),
                listen=f"{HOST}:{port}",
                backends=list(backends),
                run_dir=run_dir,
                user=worker_user(),
            )
        )
        base = [NGINX, "-p", str(run_dir), "-c", str(config), "-e", str(run_dir / "error.log")]
        check = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise DeployError(f"nginx rejected {config}:\n{check.stderr}{check.stdout}")
        with open(run_dir / "nginx.out", "a") as out:
            nginx = subprocess.Popen([*base, "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT)
        deployment = Deployment(f"http://{HOST}:{port}", run_dir, backends, nginx, config)

        def proxy_up() -> bool:
            if nginx.poll() is not None:
                raise DeployError(f"nginx exited with {nginx.returncode}:\n{deployment.logs()}")
            return healthy(HOST, port)

        _wait_until(proxy_up, f"nginx on port {port}", 20, deployment.logs)
        yield deployment
    finally:
        if nginx is not None and nginx.poll() is None:
            nginx.terminate()
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()
        for b in backends.values():
            b.stop()


def watch(deployment: Deployment, every: float, restart: bool) -> int:
    """Check every backend's health every ``every`` seconds, report changes, restart a process
    that exited; return nginx's exit code when it stops."""
    state = dict.fromkeys(deployment.backends, True)
    while deployment.nginx.poll() is None:
        for addr, b in deployment.backends.items():
            ok = b.healthy()
            if ok != state[addr]:
                print(f"backend {addr}: {'healthy again' if ok else 'not answering /_stcore/health'}", flush=True)
                state[addr] = ok
            if restart and not b.running():
                print(f"backend {addr}: exited with {b.process.returncode}, restarting", flush=True)
                b.start()
        time.sleep(every)
    return deployment.nginx.returncode


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="where nginx listens (on 127.0.0.1)")
    parser.add_argument("--backends", type=int, nargs="+", default=[8501, 8502], help="one port per dashboard process")
    parser.add_argument("--run-dir", type=Path, help="config, logs and pid file (default: a new temporary folder)")
    parser.add_argument("--check-every", type=float, default=5.0, help="seconds between health checks")
    parser.add_argument("--no-restart", action="store_true", help="leave a backend that exited down")
    parser.add_argument("--print-config", action="store_true", help="print the rendered nginx configuration and exit")
    args = parser.parse_args(argv)
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="chipsmag-proxy-"))
    if args.print_config:
        backends = [f"{HOST}:{p}" for p in args.backends]
        listen = f"{HOST}:{args.port}"
        print(
            render_config(TEMPLATE.read_text(), listen=listen, backends=backends, run_dir=run_dir, user=worker_user())
        )
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the processes on `kill` too
    try:
        with serve(args.port, args.backends, run_dir) as d:
            print(f"serving {d.url} through nginx to {', '.join(d.backends)}; logs and config in {run_dir}", flush=True)
            return watch(d, args.check_every, restart=not args.no_restart)
    except DeployError as e:
        print(e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
