#!/usr/bin/env python3
"""Run a command against throwaway PostgreSQL, Redis, Elasticsearch and SMTP servers.

Usage: python scripts/testenv.py [--cluster] -- pytest -q ...

A service whose URL (DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL) is already set is used
as given. Started services are described in $IDEALOOP_SERVICES_FILE, so fault tests can
call stop_service(name) / kill_service(name) / start_service(name) from inside the
command. `--cluster` (or IDEALOOP_CLUSTER=1) also starts a two-node Elasticsearch
cluster, two ASGI workers and HAProxy in front of them (scripts/testcluster.py).
Stdlib only; the SMTP server (scripts/mailsink.py, aiosmtpd) runs under the same
Python, so it needs the project's test extra; it writes each message it accepts to
$IDEALOOP_MAILDIR and is reached at $EMAIL_HOST:$EMAIL_PORT (set EMAIL_HOST yourself
to use another).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ES_VERSION = os.environ.get("ELASTICSEARCH_VERSION", "8.19.9")
ES_ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{}:zip"
SERVICE_USER = "idealoop"
URL_VARS = {"postgres": "DATABASE_URL", "redis": "REDIS_URL", "elasticsearch": "ELASTICSEARCH_URL"}
URL_VARS["smtp"] = "EMAIL_HOST"
READY_TIMEOUT = {
    "postgres": 30.0, "redis": 15.0, "elasticsearch": 120.0, "http": 60.0, "smtp": 15.0,
    "process": 60.0,
}  # fmt: skip
STOP_TIMEOUT = 30.0
# For postgres SIGTERM is a "smart" shutdown that waits for every client to disconnect.
STOP_SIGNAL = {"postgres": signal.SIGINT}
# Room for the test process's large pool, the cluster's workers and the task workers.
PG_SETTINGS = (
    "listen_addresses=127.0.0.1", "fsync=off", "synchronous_commit=off", "max_connections=400",
)  # fmt: skip

Spec = dict[str, Any]  # one service: name, url, port, pid, argv, env, user, cwd, log
_abort = threading.Event()  # set on shutdown so startup loops give up early
_started: dict[str, Spec] = {}  # services this process launched, for cleanup
_children: dict[int, subprocess.Popen[bytes]] = {}  # kept referenced so we can reap them
# Loopback requests must never go through an http_proxy from the environment.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServiceError(Exception):
    pass


class Interrupted(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def log(message: str) -> None:
    print(f"testenv: {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_user() -> str | None:
    """`idealoop` when we are root (postgres and Elasticsearch refuse root), else None."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        args = "--system --create-home --home-dir /var/lib/idealoop --shell /usr/sbin/nologin"
        subprocess.run(["useradd", *args.split(), SERVICE_USER], check=True)
    return SERVICE_USER


def _as_user(user: str | None) -> dict[str, Any]:
    """Popen arguments that switch user in the child itself, so its pid is the server's."""
    if not user or os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _chown_tree(path: Path, user: str | None) -> Path:
    if user:  # only set when we are root
        entry = pwd.getpwnam(user)
        for item in [path, *path.rglob("*")]:
            os.chown(item, entry.pw_uid, entry.pw_gid)
    return path


def _base_env(user: str | None) -> dict[str, str]:
    # Small and explicit: reproducible, and the services file leaks no secrets.
    entry = pwd.getpwnam(user) if user else pwd.getpwuid(os.getuid())
    path = os.environ.get("PATH", "/usr/bin:/bin")
    return {"PATH": path, "HOME": entry.pw_dir, "USER": entry.pw_name, "LANG": "C.UTF-8"}


def _tail(path: str, lines: int = 40) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    return "(no log)"


# --- processes ---------------------------------------------------------------------


def _spawn(spec: Spec) -> int:
    # A session of its own: Ctrl-C in the terminal must not reach the servers (we stop
    # them ourselves, after the command), and the pid doubles as the process group id.
    with open(spec["log"], "ab") as out:
        proc = subprocess.Popen(
            spec["argv"], env=spec["env"], cwd=spec["cwd"], stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **_as_user(spec["user"]),
        )  # fmt: skip
    _children[proc.pid] = proc
    return proc.pid


# start_service() runs inside the tests: spawn from a short-lived helper, so the server
# is not a still-running child of the test process (ResourceWarning, zombie on stop).
_RESPAWN = "import json, sys; sys.path.insert(0, sys.argv[1]); import testenv; "
_RESPAWN += "print(testenv._spawn(json.loads(sys.argv[2])))"


def _group_alive(pgid: int) -> bool:
    """Whether any non-zombie process is left in the group (servers fork workers)."""
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[2]) == pgid:
                return True
    return False


def _stop_groups(groups: dict[int, signal.Signals]) -> None:
    """Signal each group leader, wait for its whole group, SIGKILL what is left.

    SIGKILL goes to the whole group at once, as a crash takes a machine's service down:
    sent to the leader alone, it would orphan the processes the server forked (a
    gunicorn master's workers), which serve on, sockets and all, until they notice."""
    for pid, sig in groups.items():
        with contextlib.suppress(ProcessLookupError):
            (os.killpg if sig == signal.SIGKILL else os.kill)(pid, sig)
    deadline = time.monotonic() + STOP_TIMEOUT
    while any(map(_group_alive, groups)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in filter(_group_alive, groups):
        log(f"process group {pid} did not stop within {STOP_TIMEOUT:.0f}s, killing it")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    while any(map(_group_alive, groups)):
        time.sleep(0.1)
    for proc in _children.values():
        proc.poll()  # reap our own zombies


def _http_ready(spec: Spec) -> bool:
    """Ready when `ready_url` answers 200 (a web worker's /healthz, the balancer's)."""
    try:
        with _http.open(spec["ready_url"], timeout=5) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def _log_ready(spec: Spec) -> bool:
    """Ready once its log, since this start, has `ready_log` (a process with no port to
    ask: a task worker's "Starting worker", the scheduler's first pass)."""
    with contextlib.suppress(OSError), open(spec["log"], "rb") as log:
        log.seek(spec.get("log_from", 0))
        return spec["ready_log"].encode() in log.read()
    return False


def _mark_log(spec: Spec) -> None:
    """Remember where the log ends, so readiness reads only what this start wrote."""
    spec["log_from"] = os.path.getsize(spec["log"]) if os.path.exists(spec["log"]) else 0


def _kind(spec: Spec) -> str:
    """What sort of server a spec is: its name unless it says (a second ES node, a web)."""
    return spec.get("kind", spec["name"])


def _wait_ready(spec: Spec) -> None:
    name, kind = spec["name"], _kind(spec)
    ready = {
        "postgres": _pg_ready, "redis": _redis_ready, "elasticsearch": _es_ready,
        "smtp": _smtp_ready, "process": _log_ready,
    }.get(kind, _http_ready)  # fmt: skip
    timeout = spec.get("ready_timeout", READY_TIMEOUT[kind])
    deadline = time.monotonic() + timeout
    while not ready(spec):
        if _abort.is_set():
            raise ServiceError(f"{name}: startup aborted")
        if not _group_alive(spec["pid"]):
            problem = "exited"
        elif time.monotonic() > deadline:
            problem = f"was not ready after {timeout:.0f}s"
        else:
            time.sleep(0.25)
            continue
        raise ServiceError(f"{name} {problem}; end of {spec['log']}:\n{_tail(spec['log'])}")


def _launch(spec: Spec, *, wait: bool = True) -> None:
    if _abort.is_set():
        raise ServiceError(f"{spec['name']}: startup aborted")
    _mark_log(spec)
    spec["pid"] = _spawn(spec)
    _started[spec["name"]] = spec  # registered before waiting, so cleanup always sees it
    if wait:
        _wait_ready(spec)


# --- PostgreSQL ----------------------------------------------------------------------


@functools.cache
def pg_bindir() -> Path:
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        if Path(out.stdout.strip(), "postgres").exists():  # it may be a client-only pg_config
            return Path(out.stdout.strip())
    found = [Path(d).parent for d in glob.glob("/usr/lib/postgresql/*/bin/postgres")]
    if not found:
        raise ServiceError("no PostgreSQL server binaries (pg_config, /usr/lib/postgresql)")
    return max(found, key=lambda d: [int(p) for p in d.parent.name.split(".") if p.isdigit()])


def _psql(port: int, sql: str) -> str:
    argv = [str(pg_bindir() / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    result = subprocess.run([*argv, "-v", "ON_ERROR_STOP=1", "-tAc", sql], capture_output=True)
    if result.returncode != 0:
        raise ServiceError(f"psql {sql!r} failed: {result.stderr.decode().strip()}")
    return result.stdout.decode().strip()


def _pg_ready(spec: Spec) -> bool:
    argv = [str(pg_bindir() / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(spec["port"])]
    return subprocess.run([*argv, "-U", "postgres"]).returncode == 0


def start_postgres(tmp: Path, user: str | None) -> tuple[Spec, str]:
    bindir, data, port, env = pg_bindir(), tmp / "pgdata", free_port(), _base_env(user)
    options = ["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]
    initdb = subprocess.run(
        [str(bindir / "initdb"), "-D", str(data), *options],
        env=env, capture_output=True, text=True, **_as_user(user),
    )  # fmt: skip
    if initdb.returncode != 0:
        raise ServiceError(f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
    argv = [str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(tmp)]
    for setting in (*PG_SETTINGS, "full_page_writes=off"):
        argv += ["-c", setting]
    url = f"postgres://postgres@127.0.0.1:{port}/idealoop"
    spec = {"name": "postgres", "url": url, "port": port, "argv": argv, "env": env}
    spec |= {"user": user, "cwd": str(tmp), "log": str(tmp / "postgres.log")}
    _launch(spec)
    _psql(port, "CREATE DATABASE idealoop")
    return spec, "PostgreSQL " + _psql(port, "SHOW server_version").split()[0]


# --- Redis ---------------------------------------------------------------------------


def _redis(port: int, command: str) -> str:
    """Send one inline command; return the status line or the bulk string's body."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(command.encode() + b"\r\n")
        data = b""
        while b"\r\n" not in data and (chunk := sock.recv(65536)):
            data += chunk
        head, _, body = data.partition(b"\r\n")
        if not head.startswith(b"$"):
            return head.decode()
        while len(body) < int(head[1:]) and (chunk := sock.recv(65536)):
            body += chunk
        return body[: int(head[1:])].decode()


def _redis_ready(spec: Spec) -> bool:
    try:
        return _redis(spec["port"], "PING") == "+PONG"
    except OSError:
        return False


def start_redis(tmp: Path, user: str | None) -> tuple[Spec, str]:
    port, data = free_port(), tmp / "redis"
    data.mkdir()
    _chown_tree(data, user)
    argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    argv += ["--appendonly", "no", "--dir", str(data)]
    spec = {"name": "redis", "url": f"redis://127.0.0.1:{port}/0", "port": port, "argv": argv}
    spec |= {"env": _base_env(user), "user": user, "cwd": str(data), "log": f"{data}.log"}
    _launch(spec)
    lines = _redis(port, "INFO server").splitlines()
    info = dict(line.split(":", 1) for line in lines if ":" in line)
    return spec, f"Redis {info.get('redis_version', '?')}"


# --- Elasticsearch -------------------------------------------------------------------


def es_home() -> Path:
    """The unpacked distribution: fetched with Maven and unpacked once per version."""
    default = "/var/cache/idealoop" if os.geteuid() == 0 else Path.home() / ".cache/idealoop"
    cache = Path(os.environ.get("IDEALOOP_CACHE_DIR") or default)
    home = cache / f"elasticsearch-{ES_VERSION}"
    if home.is_dir():
        return home
    cache.mkdir(parents=True, exist_ok=True)
    cache.chmod(0o755)  # the service user must reach the distribution
    log(f"fetching Elasticsearch {ES_VERSION} with Maven (once per version)")
    # Download and unpack in a private staging dir, so concurrent first runs cannot clash.
    staging = Path(tempfile.mkdtemp(dir=cache, prefix=".unpack-"))
    artifact, archive = ES_ARTIFACT.format(ES_VERSION), staging / f"{home.name}.zip"
    try:
        argv = ["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={artifact}"]
        argv.append(f"-DoutputDirectory={staging}")
        mvn = subprocess.run(argv, cwd=staging, capture_output=True)  # cwd: no stray pom.xml
        if mvn.returncode != 0 or not archive.exists():
            output = (mvn.stdout + mvn.stderr).decode(errors="replace")[-3000:]
            raise ServiceError(f"mvn could not fetch {artifact}:\n{output}")
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                target = zf.extract(info, staging)
                # zipfile drops Unix modes: keep exec bits, make everything world-readable.
                executable = info.is_dir() or (info.external_attr >> 16) & 0o111
                os.chmod(target, 0o755 if executable else 0o644)
        try:
            os.rename(staging / home.name, home)  # atomic publish
        except OSError:
            if not home.is_dir():  # else a concurrent run won the race, which is fine
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return home


def _es_ready(spec: Spec) -> bool:
    url = spec["url"] + "/_cluster/health?wait_for_status=yellow&timeout=1s"
    try:
        with _http.open(url, timeout=5) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def es_node(tmp: Path, user: str | None, *, name: str, discovery: str) -> Spec:
    """One node's config dir and spec; `discovery` is its discovery settings (YAML)."""
    home, root, port = es_home(), tmp / name, free_port()
    conf = root / "config"
    shutil.copytree(home / "config", conf)
    for ext in ("aff", "dic"):  # lets tests use the core `hunspell` token filter
        if (source := Path(f"/usr/share/hunspell/en_US.{ext}")).exists():
            (conf / "hunspell/en_US").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, conf / f"hunspell/en_US/en_US.{ext}")
    # The integ-test zip ships only the x-pack-core and x-pack-security modules (no ML,
    # ILM, ...), so security is the only x-pack setting we may and must turn off.
    (conf / "elasticsearch.yml").write_text(f"""\
cluster.name: idealoop-test
{discovery}
network.host: 127.0.0.1
http.port: {port}
path.data: {root / "data"}
path.logs: {root / "logs"}
action.destructive_requires_name: false
cluster.routing.allocation.disk.threshold_enabled: false
xpack.security.enabled: false
""")
    for sub in ("data", "logs", "tmp"):
        (root / sub).mkdir()
    _chown_tree(root, user)  # ES also writes its keystore into the config dir
    env = _base_env(user) | {"ES_PATH_CONF": str(conf), "ES_TMPDIR": str(root / "tmp")}
    env["ES_JAVA_OPTS"] = "-Xms512m -Xmx512m"
    env["CLI_JAVA_OPTS"] = f"-Djava.io.tmpdir={root / 'tmp'}"  # launcher's final-flags* dirs
    if not (home / "jdk").is_dir():  # no bundled JDK in this distribution
        if not (java := shutil.which("java")):
            raise ServiceError("Elasticsearch needs a JDK, and there is no `java` on PATH")
        env["ES_JAVA_HOME"] = str(Path(java).resolve().parent.parent)
    url, argv = f"http://127.0.0.1:{port}", [str(home / "bin/elasticsearch")]
    spec = {"name": name, "kind": "elasticsearch", "url": url, "port": port, "argv": argv}
    return spec | {"env": env, "user": user, "cwd": str(root), "log": str(root / "console.log")}


def es_version(url: str) -> str:
    # GET / lives in the rest-root module, which the integ-test zip does not ship.
    with _http.open(url + "/_nodes/_local?filter_path=nodes.*.version", timeout=10) as response:
        (node,) = json.load(response)["nodes"].values()
    return f"Elasticsearch {node['version']}"


def start_elasticsearch(tmp: Path, user: str | None) -> tuple[Spec, str]:
    discovery = f"node.name: testenv\ndiscovery.type: single-node\ntransport.port: {free_port()}"
    spec = es_node(tmp, user, name="elasticsearch", discovery=discovery)
    _launch(spec)
    return spec, es_version(spec["url"])


# --- SMTP ----------------------------------------------------------------------------


def _smtp_ready(spec: Spec) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", spec["port"]), timeout=2) as sock:
            return sock.recv(512).startswith(b"220")
    except OSError:
        return False


def start_smtp(tmp: Path, user: str | None) -> tuple[Spec, str]:
    """aiosmtpd on a free port, as the invoking user (the tests read its Maildir)."""
    port, maildir = free_port(), tmp / "mail" / "maildir"
    maildir.parent.mkdir()
    argv = [sys.executable, str(Path(__file__).with_name("mailsink.py")), str(port), str(maildir)]
    spec = {"name": "smtp", "url": "127.0.0.1", "port": port, "argv": argv, "maildir": str(maildir)}
    spec |= {"env": _base_env(None), "user": None, "cwd": str(tmp), "log": str(tmp / "smtp.log")}
    _launch(spec)
    return spec, "SMTP (aiosmtpd)"


STARTERS: dict[str, Callable[[Path, str | None], tuple[Spec, str]]] = {
    "postgres": start_postgres,
    "redis": start_redis,
    "elasticsearch": start_elasticsearch,
    "smtp": start_smtp,
}


# --- the services file, and the helpers fault tests import -----------------------------


@contextlib.contextmanager
def _service(name: str) -> Iterator[Spec]:
    """One service's entry in the services file, locked, and written back afterwards."""
    path = Path(os.environ["IDEALOOP_SERVICES_FILE"])
    with open(f"{path}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        services = json.loads(path.read_text())
        if name not in services:
            raise KeyError(f"{name} was not started by testenv (started: {', '.join(services)})")
        yield services[name]
        path.with_suffix(".tmp").write_text(json.dumps(services, indent=2))
        os.replace(path.with_suffix(".tmp"), path)


def stop_service(name: str, sig: signal.Signals | None = None) -> None:
    """Stop a started service (SIGTERM; SIGINT for postgres) and wait until it is gone."""
    with _service(name) as spec:
        if spec["pid"]:
            _stop_groups({spec["pid"]: sig or STOP_SIGNAL.get(_kind(spec), signal.SIGTERM)})
        spec["pid"] = None


def kill_service(name: str) -> None:
    """Kill a service outright (SIGKILL to its whole group), as a crash would."""
    stop_service(name, signal.SIGKILL)


def start_service(name: str) -> None:
    """Start a service again on the same port and data dir; wait until it is ready."""
    with _service(name) as spec:
        if spec["pid"] and _group_alive(spec["pid"]):
            return
        _mark_log(spec)
        here, payload = str(Path(__file__).parent), json.dumps(spec)
        argv = [sys.executable, "-W", "ignore", "-c", _RESPAWN, here, payload]
        spec["pid"] = int(subprocess.run(argv, capture_output=True, check=True).stdout)
    _wait_ready(spec)  # the pid is saved first, so the outer cleanup can always stop it


# --- main ------------------------------------------------------------------------------


def _run_command(command: list[str], env: dict[str, str]) -> int:
    try:
        proc = subprocess.Popen(command, env=env)
    except OSError as exc:
        log(f"cannot run {command[0]}: {exc}")
        return 127
    try:
        return proc.wait()
    except Interrupted as exc:
        if exc.signum == signal.SIGTERM:  # forward; a Ctrl-C reached it via the terminal
            proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise


def _cleanup(tmp: Path | None, pool: ThreadPoolExecutor) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not strand servers
    _abort.set()
    pool.shutdown(wait=True, cancel_futures=True)  # nothing can start after this
    specs = list(_started.values())
    if tmp and (tmp / "services.json").exists():  # the command may have restarted some
        specs += json.loads((tmp / "services.json").read_text()).values()
    groups = {s["pid"]: STOP_SIGNAL.get(_kind(s), signal.SIGTERM) for s in specs if s["pid"]}
    _stop_groups(groups)
    with contextlib.suppress(ChildProcessError):  # reap orphans handed to us as subreaper
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


def _on_signal(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        print(f"usage: {sys.argv[0]} [--cluster] -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    options, command = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    if unknown := [option for option in options if option != "--cluster"]:
        print(f"{sys.argv[0]}: unknown option {unknown[0]}", file=sys.stderr)
        return 2
    cluster = "--cluster" in options or os.environ.get("IDEALOOP_CLUSTER") == "1"
    env, tmp, starters = dict(os.environ), None, dict(STARTERS)
    if cluster:
        # The cluster half imports this module by name; let it find this copy.
        sys.modules.setdefault("testenv", sys.modules[__name__])
        import testcluster

        starters["postgres"] = testcluster.start_postgres_migrated
        starters["elasticsearch"] = testcluster.start_elasticsearch_cluster
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)
    # Linux child subreaper: services the command restarts are re-parented to us, so
    # we reap them instead of leaving zombies under pid 1.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    pool = ThreadPoolExecutor(max_workers=len(STARTERS))
    try:
        wanted = [name for name, var in URL_VARS.items() if not os.environ.get(var)]
        user = service_user() if wanted or cluster else None
        tmp = _chown_tree(Path(tempfile.mkdtemp(prefix="idealoop-testenv-")), user)
        began = time.monotonic()
        futures = {name: pool.submit(starters[name], tmp, user) for name in wanted}
        results = {name: future.result() for name, future in futures.items()}
        for name, var in URL_VARS.items():
            if name in results:
                spec, label = results[name]
                env[var] = spec.get("cluster_url", spec["url"])
                if name == "smtp":
                    env["EMAIL_PORT"], env["IDEALOOP_MAILDIR"] = str(spec["port"]), spec["maildir"]
                log(
                    f"{label} at {spec['url']}:{spec['port']}"
                    if name == "smtp"
                    else f"{label} at {env[var]}"
                )
            else:
                log(f"using given {var}")
        if cluster:
            testcluster.start_web(tmp, user, env)
        services = {name: spec for name, spec in _started.items()}
        (tmp / "services.json").write_text(json.dumps(services, indent=2))
        env["IDEALOOP_SERVICES_FILE"] = str(tmp / "services.json")
        if _started:
            log(f"services ready in {time.monotonic() - began:.1f}s")
        return _run_command(command, env)
    except ServiceError as exc:
        log(str(exc))
        return 125
    except Interrupted as exc:
        log(f"interrupted by {exc}, stopping services")
        return 128 + exc.signum
    finally:
        _cleanup(tmp, pool)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
