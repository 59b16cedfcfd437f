"""dbt started warm: one server process imports dbt once, then forks a child per command.

A `dbt` command spends about 2 s of CPU importing dbt and its adapter before it reads
anything, and more while its first command compiles dbt's own serialisers and
templates; the suite runs some sixty commands on small data, where that is a fifth to
a half of their cost. The server (`python -m integration_adoption.warm_dbt SOCKET`)
imports dbt and parses a one-model project once (`_import_dbt`). For each command it
then forks: the child takes the caller's argv,
working folder, environment and standard streams, runs dbt's own command line
(`dbt.cli.main.cli`, what the `dbt` script runs) and exits with its exit code. Each
command is still its own process: a crash or a SIGKILL ends only that command, and its
environment is the caller's, never the server's.

`run` and `popen` stand in for `subprocess.run` and `subprocess.Popen` on a dbt argv
(its first item the `dbt` executable, as `dbt_cli.DBT`); every other argv is refused.
One server per Python process, started on first use, stopped by `stop` or at exit, and
ending by itself when the process that started it is gone.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import io
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from integration_adoption.dbt_cli import DBT, ROOT

# one request or reply per message: the request holds the whole environment
_MESSAGE_BYTES = 1 << 20
_STARTUP_SECONDS = 120
_PARENT_CHECK_SECONDS = 2


# ---------- the server


# what a dbt command imports before it reads anything: dbt's command line, its tasks and
# parser, the DuckDB adapter (importing them starts no thread)
_MODULES = (
    "dbt.cli.main",
    "dbt.adapters.duckdb",
    "dbt.adapters.duckdb.connections",
    "dbt.adapters.duckdb.environments",
    "dbt.adapters.duckdb.impl",
    "dbt.compilation",
    "dbt.context.providers",
    "dbt.contracts.graph.manifest",
    "dbt.contracts.graph.nodes",
    "dbt.graph",
    "dbt.parser.manifest",
    "dbt.task.build",
    "dbt.task.compile",
    "dbt.task.freshness",
    "dbt.task.list",
    "dbt.task.run",
    "dbt.task.seed",
    "dbt.task.test",
    "dbt_common.clients.jinja",
)


def _threads() -> int:
    return len(os.listdir(f"/proc/{os.getpid()}/task"))


def _import_dbt() -> None:
    """Import what every command imports, then parse and list a one-model project, so
    that dbt's serialisers and templates are compiled before the forks. dbt's static
    parser (a Rust library) starts threads on its first use, and a child forked beside
    a thread that holds a lock waits for it forever: the warm-up parses without it, and
    the server refuses to serve with any thread but its own."""
    for module in _MODULES:
        importlib.import_module(module)
    from dbt.cli.main import dbtRunner

    with tempfile.TemporaryDirectory(prefix="warm_dbt_") as folder:
        project = Path(folder)
        (project / "models").mkdir()
        (project / "dbt_project.yml").write_text(
            "name: warm\nversion: '1.0.0'\nprofile: warm\n"
            "flags:\n  send_anonymous_usage_stats: false\n"
        )
        # a DuckDB target that no command opens: parse and ls do not connect
        (project / "profiles.yml").write_text(
            "warm:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
            f"      path: {project / 'never_opened.duckdb'}\n"
        )
        (project / "models" / "one.sql").write_text("select 1 as n\n")
        (project / "models" / "one.yml").write_text(
            "models:\n  - name: one\n    columns:\n      - name: n\n"
            "        data_tests: [not_null, unique]\n"
        )
        common = ["--project-dir", str(project), "--profiles-dir", str(project)]
        common += ["--target-path", str(project / "target"), "--log-path", str(project)]
        for command in (["parse", "--no-static-parser"], ["ls", "--no-static-parser"]):
            with contextlib.redirect_stdout(io.StringIO()) as output:
                result = dbtRunner().invoke([*command, *common, "--quiet"])
            if not result.success:
                raise RuntimeError(f"the warm-up failed: {result.exception}\n{output.getvalue()}")
    if _threads() != 1:
        raise RuntimeError(f"warming dbt up started {_threads() - 1} thread(s): cannot fork")


def _run_dbt(args: list[str]) -> int:
    """dbt's command line on `args`, as the `dbt` script runs it; its exit code."""
    from dbt.cli.main import cli

    sys.argv = [str(DBT), *args]
    try:
        cli()
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


def _child(request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: become the caller's dbt command, then exit."""
    try:
        if request["new_session"]:
            os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        code = _run_dbt(request["args"])
        # what the interpreter does at exit (dbt's handlers, logging's flush)
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        traceback.print_exc()
        code = 1
    os._exit(code)


def _runner(connection: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    """In a child of the server: fork the command, report its pid and its exit code."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    command = os.fork()
    if command == 0:
        connection.close()
        _child(request, fds)
    for fd in fds:
        os.close(fd)
    connection.send(json.dumps({"pid": command}).encode())
    _, status, usage = os.wait4(command, 0)
    reply = {
        "returncode": os.waitstatus_to_exitcode(status),
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }
    connection.send(json.dumps(reply).encode())
    os._exit(0)


def serve(path: str) -> None:
    """Import and warm dbt, then fork a command per request on the socket at `path`."""
    sys.path.insert(0, str(ROOT))
    _import_dbt()
    # the finished runners are reaped by the kernel
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(16)
    # the server ends with the process that started it, even one that never stops it
    parent = os.getppid()
    listener.settimeout(_PARENT_CHECK_SECONDS)
    print("ready", flush=True)
    while True:
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            if os.getppid() != parent:
                os._exit(0)
            continue
        connection.settimeout(None)
        message, fds, _, _ = socket.recv_fds(connection, _MESSAGE_BYTES, 3)
        if not message:  # the stop request: an empty message
            os._exit(0)
        request = json.loads(message)
        if os.fork() == 0:
            listener.close()
            _runner(connection, request, fds)
        connection.close()
        for fd in fds:
            os.close(fd)


# ---------- the client


class WarmProcess:
    """A dbt command the server forked: the parts of subprocess.Popen the suite uses."""

    def __init__(
        self,
        args: list[str],
        connection: socket.socket,
        stdout: io.IOBase | None,
        stderr: io.IOBase | None,
    ) -> None:
        self.args = args
        self._connection = connection
        self.stdout = stdout
        self.stderr = stderr
        self.pid = self._receive(None)["pid"]
        self.returncode: int | None = None
        # the command's CPU time (user and system), once it has ended
        self.cpu_seconds: float | None = None

    def _receive(self, timeout: float | None) -> dict[str, Any]:
        self._connection.settimeout(timeout)
        try:
            message = self._connection.recv(_MESSAGE_BYTES)
        except (TimeoutError, BlockingIOError):  # the latter with a timeout of 0
            raise subprocess.TimeoutExpired(self.args, timeout or 0) from None
        if not message:
            raise RuntimeError("the warm dbt server closed the connection")
        return json.loads(message)

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            reply = self._receive(timeout)
            self.returncode, self.cpu_seconds = reply["returncode"], reply["cpu_seconds"]
            self._connection.close()
        return self.returncode

    def poll(self) -> int | None:
        if self.returncode is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.wait(timeout=0)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def communicate(self, timeout: float | None = None) -> tuple[Any, Any]:
        """Read stdout and stderr (those that are pipes) to their end, then wait."""
        deadline = None if timeout is None else time.monotonic() + timeout
        streams = [stream for stream in (self.stdout, self.stderr) if stream is not None]
        chunks: dict[int, list[bytes]] = {id(stream): [] for stream in streams}
        with selectors.DefaultSelector() as selector:
            for stream in streams:
                selector.register(stream.fileno(), selectors.EVENT_READ, stream)
            while selector.get_map():
                left = None if deadline is None else max(0.0, deadline - time.monotonic())
                ready = selector.select(left)
                if not ready and left == 0.0:
                    raise subprocess.TimeoutExpired(self.args, timeout)
                for key, _ in ready:
                    data = os.read(key.fd, 1 << 16)
                    if data:
                        chunks[id(key.data)].append(data)
                    else:
                        selector.unregister(key.fd)
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        self.wait(left)
        outputs = []
        for stream in (self.stdout, self.stderr):
            if stream is None:
                outputs.append(None)
                continue
            data = b"".join(chunks[id(stream)])
            text = isinstance(stream, io.TextIOBase)
            outputs.append(data.decode(stream.encoding) if text else data)
            stream.close()
        return outputs[0], outputs[1]

    def __enter__(self) -> WarmProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        for stream in (self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        self.wait()


class WarmDbt:
    """The server of this Python process, and the requests to it."""

    def __init__(self) -> None:
        self._folder = tempfile.mkdtemp(prefix="warm_dbt_")
        self._path = os.path.join(self._folder, "socket")
        self._server = subprocess.Popen(
            [sys.executable, "-m", "integration_adoption.warm_dbt", self._path],
            cwd=ROOT,
            # multiprocessing's tracker counts dbt's module-level semaphores as leaked
            # when the server ends: not a leak of any command's
            env={**os.environ, "PYTHONWARNINGS": "ignore:resource_tracker:UserWarning"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = threading.Timer(_STARTUP_SECONDS, self._server.kill)
        ready.start()
        try:
            line = self._server.stdout.readline() if self._server.stdout else ""
        finally:
            ready.cancel()
        if line.strip() != "ready":
            raise RuntimeError(f"the warm dbt server did not start: {line!r}")

    def popen(
        self,
        argv: list[str],
        cwd: Path | str | None = None,
        env: dict[str, str] | None = None,
        stdout: int | None = None,
        stderr: int | None = None,
        text: bool = False,
        start_new_session: bool = False,
    ) -> WarmProcess:
        """Start `argv` (a dbt command) in a forked child; stdout and stderr are None
        (this process's own) or subprocess.PIPE, stderr also subprocess.STDOUT."""
        if not argv or Path(argv[0]) != DBT:
            raise ValueError(f"not a dbt command: {argv[:1]}")
        opened: list[int] = []
        passed: list[int] = []
        readers: list[io.IOBase | None] = []
        with open(os.devnull, "rb") as devnull:
            passed.append(os.dup(devnull.fileno()))
        opened.append(passed[0])
        for choice, own in ((stdout, 1), (stderr, 2)):
            if choice == subprocess.PIPE:
                read, write = os.pipe()
                opened.append(write)
                passed.append(write)
                reader = open(read, "rb")  # noqa: SIM115 (closed by the process object)
                readers.append(io.TextIOWrapper(reader) if text else reader)
            elif choice == subprocess.STDOUT and own == 2:
                passed.append(passed[1])
                readers.append(None)
            elif choice is None:
                passed.append(own)
                readers.append(None)
            else:
                raise ValueError(f"unsupported stream choice {choice!r}")
        request = {
            "args": [str(arg) for arg in argv[1:]],
            "cwd": str(cwd or os.getcwd()),
            "env": dict(os.environ if env is None else env),
            "new_session": start_new_session,
        }
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            connection.connect(self._path)
            socket.send_fds(connection, [json.dumps(request).encode()], passed)
        finally:
            for fd in opened:
                os.close(fd)
        return WarmProcess(list(argv), connection, readers[0], readers[1])

    def run(
        self,
        argv: list[str],
        cwd: Path | str | None = None,
        env: dict[str, str] | None = None,
        capture_output: bool = False,
        text: bool = False,
        check: bool = False,
        timeout: float | None = None,
    ) -> subprocess.CompletedProcess:
        """subprocess.run on a dbt argv, in a forked child."""
        pipe = subprocess.PIPE if capture_output else None
        with self.popen(argv, cwd, env, stdout=pipe, stderr=pipe, text=text) as process:
            try:
                out, err = process.communicate(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
        completed = subprocess.CompletedProcess(list(argv), process.returncode, out, err)
        if check:
            completed.check_returncode()
        return completed

    def stop(self) -> None:
        if self._server.poll() is None:
            with (
                contextlib.suppress(OSError),
                socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as connection,
            ):
                connection.connect(self._path)
                connection.send(b"")
            try:
                self._server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()
        if self._server.stdout:
            self._server.stdout.close()
        with contextlib.suppress(OSError):
            os.unlink(self._path)
        with contextlib.suppress(OSError):
            os.rmdir(self._folder)


_SERVER: WarmDbt | None = None
_SERVER_PID: int | None = None


def server() -> WarmDbt:
    """The warm dbt server of this process (started on first use, stopped at exit)."""
    global _SERVER, _SERVER_PID
    if _SERVER is None or os.getpid() != _SERVER_PID:
        _SERVER, _SERVER_PID = WarmDbt(), os.getpid()
        atexit.register(_SERVER.stop)
    return _SERVER


def stop() -> None:
    """Stop this process's server, if it started one."""
    global _SERVER
    if _SERVER is not None and os.getpid() == _SERVER_PID:
        _SERVER.stop()
        _SERVER = None


def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess:
    """subprocess.run on a dbt argv, started warm (see the module's docstring)."""
    return server().run(argv, **kwargs)


def popen(argv: list[str], **kwargs: Any) -> WarmProcess:
    """subprocess.Popen on a dbt argv, started warm (see the module's docstring)."""
    return server().popen(argv, **kwargs)


if __name__ == "__main__":
    serve(sys.argv[1])
