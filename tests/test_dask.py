"""A real Dask cluster (a scheduler and two workers on 127.0.0.1) gives the same bytes as a
local run."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import IO

import pytest
from click.testing import CliRunner, Result

from cleaner.cli import cli

from .conftest import FIXTURES, process_group, seed_names

pytest.importorskip("distributed")
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_workers(address: str, n: int, timeout: float = 40.0) -> None:
    from distributed import Client

    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(n, timeout=timeout)


def scheduler(port: int) -> subprocess.Popen[bytes]:
    """A real Dask scheduler starting on 127.0.0.1:``port``."""
    return subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                             "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_scheduler(port: int) -> subprocess.Popen[bytes]:
    """A real Dask scheduler on 127.0.0.1:``port``, once it listens."""
    proc = scheduler(port)
    deadline = time.monotonic() + 60
    while True:  # until it listens
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait(timeout=30)
                raise AssertionError("the scheduler did not start") from None
            time.sleep(0.1)


#: The wait before "waiting for workers" or "no worker left" is said, in the tests that sit
#: through it (DASK_WAIT_NOTICE_SECONDS is 5 s): what they assert (said once, after the wait,
#: and the run goes on when a worker connects) does not depend on its length.
NOTICE_SECONDS = 1.0
#: Imported by the cleaner command these tests start (its folder first on PYTHONPATH).
NOTICE_SITECUSTOMIZE = f"""
import cleaner.datasets.runner
cleaner.datasets.runner.DASK_WAIT_NOTICE_SECONDS = {NOTICE_SECONDS!r}
"""


@pytest.fixture(scope="module")
def short_notice_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a cleaner command whose DASK_WAIT_NOTICE_SECONDS is NOTICE_SECONDS."""
    hook = tmp_path_factory.mktemp("hook")
    (hook / "sitecustomize.py").write_text(NOTICE_SITECUSTOMIZE)
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH")) if p)}
    read = subprocess.run([sys.executable, "-c", "from cleaner.datasets import runner; "
                           "print(runner.DASK_WAIT_NOTICE_SECONDS)"], env=env, capture_output=True, text=True)
    assert read.stdout.strip() == str(NOTICE_SECONDS), read.stderr  # the hook is in effect
    return env


def _clean_on(address: str, tmp_path: Path) -> Result:
    """``cleaner clean`` of a one-record file in ``tmp_path`` with ``--dask-scheduler address``."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Ein Satz."}\n', encoding="utf-8")
    return CliRunner().invoke(cli, ["clean", str(src), "-o", str(tmp_path / "out.jsonl"),
                                    "--dask-scheduler", address])


@pytest.mark.parametrize("address", ["10.0.0.5", "tcp://127.0.0.1", "scheduler-host"])
def test_a_scheduler_address_without_a_port_is_a_usage_error(address: str, tmp_path: Path) -> None:
    """Not a traceback from inside distributed (and a minute's hang as the process exits)."""
    started = time.monotonic()
    result = _clean_on(address, tmp_path)
    assert result.exit_code == 2, result.output
    assert "tcp://HOST:PORT" in result.output and time.monotonic() - started < 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


class _Future:
    """A finished future of a fake client: its value, or the error its result raises."""

    def __init__(self, value: object = None, error: BaseException | None = None) -> None:
        self.value, self.error = value, error

    def result(self, timeout: float | None = None) -> object:  # (as a Dask future's)
        if self.error is not None:
            raise self.error
        return self.value

    def cancel(self) -> None:
        return None


@pytest.mark.parametrize("error, says", [
    ("cancelled", "lost the Dask scheduler at tcp://127.0.0.1:1"),
    ("killed", "Dask workers died on every try of a chunk"),
])
def test_a_cluster_failing_under_the_run_stops_it_with_one_line(error: str, says: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduler gone (the client gives up reconnecting: FutureCancelledError) or a chunk
    whose workers all died (KilledWorker): one line and the journal kept for --resume, not a
    traceback from inside distributed."""
    from distributed import KilledWorker
    from distributed.client import FutureCancelledError

    failure = (FutureCancelledError("process_chunk-1", "scheduler-connection-lost") if error == "cancelled"
               else KilledWorker("process_chunk-1", SimpleNamespace(address="tcp://127.0.0.1:2"), 3))

    class Client:
        def __init__(self, *args: object, **kwargs: object) -> None:
            return None

        def nthreads(self) -> dict[str, int]:
            return {"tcp://127.0.0.1:2": 1}

        def submit(self, *args: object, **kwargs: object) -> _Future:
            return _Future(error=failure)

        def close(self) -> None:
            return None

    monkeypatch.setattr("distributed.Client", Client)
    monkeypatch.setattr("cleaner.datasets.runner._check_it_is_a_scheduler", lambda *args: None)  # (none there)
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Ein Satz."}\n' * 5, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(out), "--dask-scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1 and says in result.output, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not out.exists() and (tmp_path / "out.jsonl.progress.json").exists()


def test_a_relative_boilerplate_path_reaches_dask_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Dask worker runs in its own working directory: a model named relative to the
    client's (``--boilerplate model.json``) must reach it as the same file, not fail every
    record with "cannot read the boilerplate model"."""
    from cleaner.rules.corpus import _read_model

    from .test_datasets import boilerplate_corpus

    corpus, banner, _ = boilerplate_corpus(tmp_path)
    worker_dir = tmp_path / "worker"
    worker_dir.mkdir()

    class Client:  # runs each task here, as a worker would: from its own directory, nothing cached
        def __init__(self, *args: object, **kwargs: object) -> None:
            return None

        def nthreads(self) -> dict[str, int]:
            return {"tcp://127.0.0.1:2": 1}

        def submit(self, fn, *args: object, **kwargs: object) -> _Future:  # type: ignore[no-untyped-def]
            here = Path.cwd()
            os.chdir(worker_dir)
            _read_model.cache_clear()
            try:
                return _Future(fn(*args))
            finally:
                os.chdir(here)

        def close(self) -> None:
            return None

    monkeypatch.setattr("distributed.Client", Client)
    monkeypatch.setattr("cleaner.datasets.runner._check_it_is_a_scheduler", lambda *args: None)  # (none there)
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["learn", "corpus.jsonl", "-o", "model.json", "--min-docs", "5", "-q"]).exit_code == 0
    result = CliRunner().invoke(cli, ["clean", "corpus.jsonl", "-o", "out.jsonl", "--boilerplate", "model.json",
                                      "--no-language", "--dask-scheduler", "tcp://127.0.0.1:1", "-q"])
    assert result.exit_code == 0, result.output
    texts = [json.loads(line)["text"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(texts) == 60 and not any(banner in t for t in texts)


@pytest.mark.slow
def test_dask_cluster_gives_the_same_bytes_as_a_local_run(tmp_path: Path) -> None:
    texts = [(FIXTURES / "input" / "seeds" / f"{n}.txt").read_text(encoding="utf-8") for n in seed_names()]
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": i, "text": texts[i % 2]}, ensure_ascii=False) + "\n" for i in range(30))
        + "{broken\n",
        encoding="utf-8",
    )
    # short records, and records of 1,000 articles (2-3 MB): well over the 0.05 s limit below even
    # with warm caches (250 articles took 0.06-0.09 s once the rules got faster: too close)
    slow = tmp_path / "slow.jsonl"
    slow.write_text(
        "".join(json.dumps({"id": i, "text": texts[i % 2] * (1000 if i % 3 == 0 else 1)}, ensure_ascii=False) + "\n"
                for i in range(9)),
        encoding="utf-8",
    )
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(BIN / "dask")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(scheduler(port))
        time.sleep(1.0)
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [dask, "worker", address, "--nthreads", "1", "--no-dashboard"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        wait_for_workers(address, 2)
        common = ["clean", str(src), "--chunk-size", "4", "--id-key", "id", "-q"]
        on_cluster = CliRunner().invoke(
            cli,
            [*common, "-o", str(tmp_path / "dask.jsonl"), "--dask-scheduler", address],
            catch_exceptions=False,
        )
        # the per-document time limit holds on the cluster too (Dask runs tasks in threads,
        # where a watchdog raises the timeout): long records fail as "timeout", none is lost
        timed = CliRunner().invoke(
            cli,
            ["clean", str(slow), "--chunk-size", "2", "--id-key", "id", "-q",
             "-o", str(tmp_path / "timed.jsonl"), "--dask-scheduler", address,
             "--timeout", "0.05", "--rejected", str(tmp_path / "timed.rejected.jsonl")],
            catch_exceptions=False,
        )
    finally:
        for proc in reversed(procs):
            proc.kill()
        for proc in procs:
            proc.wait(timeout=30)
    local = CliRunner().invoke(
        cli, [*common, "-o", str(tmp_path / "local.jsonl"), "--workers", "1"], catch_exceptions=False
    )
    assert on_cluster.exit_code == local.exit_code == 1  # the broken line fails in both
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "dask.jsonl").read_text(encoding="utf-8").count("\n") == 30
    assert timed.exit_code == 1
    written = [json.loads(line)["id"] for line in (tmp_path / "timed.jsonl").read_text("utf-8").splitlines()]
    entries = [json.loads(line)["cleaner_rejected"] for line in (tmp_path / "timed.rejected.jsonl").read_text("utf-8").splitlines()]
    failed = {entry["line"] - 1: entry["reason"] for entry in entries}
    assert {0, 3, 6} <= set(failed) and set(failed.values()) == {"timeout"}
    assert sorted(written + list(failed)) == list(range(9))  # each record exactly once


@pytest.mark.parametrize("address", ["127.0.0.1", "tcp://127.0.0.1:notaport", "http://127.0.0.1:8786"])
def test_a_scheduler_address_dask_cannot_read_is_a_usage_error(address: str, tmp_path: Path) -> None:
    """Without a port (or with a bad one, or an unknown scheme) distributed raises ValueError, not
    OSError: it was a traceback after half a minute or more (the client's retries, then its
    ``__del__`` waiting 60 s at exit). Now a usage error at once."""
    data = tmp_path / "data.jsonl"
    data.write_text('{"text": "Hello world."}\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(data), "-o", str(tmp_path / "out.jsonl"),
         "--dask-scheduler", address],
        capture_output=True, text=True, timeout=90,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"--dask-scheduler {address}" in proc.stderr and "tcp://HOST:PORT" in proc.stderr
    assert not (tmp_path / "out.jsonl").exists()


@pytest.fixture
def scheduler_without_workers() -> Iterator[str]:
    """A real Dask scheduler on 127.0.0.1 with no worker; its address."""
    port = free_port()
    proc = start_scheduler(port)
    try:
        yield f"tcp://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait(timeout=30)


class _Stderr:
    """The lines a process writes on stderr, read as they come (in a thread)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stderr is not None
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(proc.stderr,), daemon=True)
        self.thread.start()

    def _read(self, stream: IO[bytes]) -> None:
        for line in stream:
            self.lines.append(line.decode().rstrip("\n"))

    def wait_for(self, text: str, timeout: float) -> float:
        """Seconds until a line holding ``text`` came."""
        started = time.monotonic()
        while not any(text in line for line in self.lines):
            assert time.monotonic() - started < timeout, f"no {text!r} on stderr: {self.lines}"
            time.sleep(0.05)
        return time.monotonic() - started

    def said(self) -> list[str]:
        self.thread.join(30)
        return [line for line in self.lines if line.strip()]


def _waiting_line(address: str) -> str:
    return (f"cleaner: WARNING: waiting for workers on {address}: none connected yet; the run starts "
            "when one does (Ctrl-C stops it)")


@pytest.mark.slow
def test_a_scheduler_without_workers_is_waited_for_and_said_so_once(scheduler_without_workers: str,
                                                                    short_notice_env: dict[str, str],
                                                                    tmp_path: Path) -> None:
    """A scheduler that no worker is connected to ran no task: the run waited forever without
    a word. It waits (workers may be starting), says so once after DASK_WAIT_NOTICE_SECONDS
    (NOTICE_SECONDS here), and runs as soon as a worker connects, with the bytes of a local run."""
    address = scheduler_without_workers
    texts = [(FIXTURES / "input" / "seeds" / f"{n}.txt").read_text(encoding="utf-8") for n in seed_names()]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": texts[i % 2]}) + "\n" for i in range(6)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(out), "--no-language",
           "--dask-scheduler", address]
    worker = None
    with process_group(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=short_notice_env) as proc:
        stderr = _Stderr(proc)
        stderr.wait_for("waiting for workers", timeout=60)
        time.sleep(NOTICE_SECONDS + 1)  # it keeps waiting, and says it once
        assert proc.poll() is None and stderr.lines == [_waiting_line(address)]
        try:
            worker = subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            assert proc.wait(timeout=120) == 0, stderr.said()
        finally:
            worker.kill()
            worker.wait(timeout=30)
    said = stderr.said()
    assert said[0] == _waiting_line(address) and said[1].startswith("cleaner: ") and "Traceback" not in str(said)
    assert sum("waiting for workers" in line for line in said) == 1
    local = CliRunner().invoke(cli, ["clean", str(src), "-o", str(tmp_path / "local.jsonl"), "--no-language",
                                     "--workers", "1", "-q"])
    assert local.exit_code == 0, local.output
    assert out.read_bytes() == (tmp_path / "local.jsonl").read_bytes()


@pytest.mark.slow
def test_ctrl_c_while_waiting_for_dask_workers_stops_at_once(scheduler_without_workers: str,
                                                             short_notice_env: dict[str, str],
                                                             tmp_path: Path) -> None:
    """Waiting for workers is stopped by Ctrl-C like any run: one line, exit 130, and at once
    (a client left open made the exit wait a minute)."""
    address = scheduler_without_workers
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Ein Satz."}\n', encoding="utf-8")
    cmd = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--no-language",
           "--dask-scheduler", address]
    with process_group(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=short_notice_env) as proc:
        stderr = _Stderr(proc)
        stderr.wait_for("waiting for workers", timeout=60)
        os.killpg(proc.pid, signal.SIGINT)
        started = time.monotonic()
        assert proc.wait(timeout=60) == 130
        assert time.monotonic() - started < 10
    assert stderr.said() == [_waiting_line(address),
                             "cleaner: interrupted; continue with the same command and --resume"]


def test_the_help_says_how_long_before_the_wait_for_workers_is_told() -> None:
    from cleaner.datasets.runner import DASK_WAIT_NOTICE_SECONDS

    text = " ".join(CliRunner().invoke(cli, ["clean", "--help"]).output.split())
    assert f"the run waits for one, and says so on stderr after {DASK_WAIT_NOTICE_SECONDS:g} s" in text


@pytest.mark.slow
def test_workers_all_leaving_under_the_run_is_said_once_and_the_run_goes_on(
        scheduler_without_workers: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every worker gone while a chunk is out (stopped, killed, its machine lost): the run waited
    in silence. It still waits for a worker, as Dask does, and says so once; a worker that
    connects then finishes the chunk."""
    import logging

    from cleaner.datasets import runner
    from cleaner.datasets.runner import DaskExecutor

    monkeypatch.setattr(runner, "DASK_WAIT_NOTICE_SECONDS", NOTICE_SECONDS)
    address = scheduler_without_workers

    def start_worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    said: list[str] = []
    told = threading.Event()

    class Said(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())
            told.set()

    handler, workers = Said(level=logging.WARNING), [start_worker()]
    logger = logging.getLogger("cleaner")
    logger.addHandler(handler)
    executor = None
    try:
        wait_for_workers(address, 1)
        executor = DaskExecutor(address)
        workers[0].kill()
        workers[0].wait(timeout=30)
        deadline = time.monotonic() + 60
        while executor.client.nthreads():  # (the scheduler sees the worker's connection close)
            assert time.monotonic() < deadline, "the scheduler still lists the killed worker"
            time.sleep(0.1)
        future = executor.client.submit(sum, [1, 2], pure=False)

        def rescue() -> None:
            if told.wait(60):
                time.sleep(2 * NOTICE_SECONDS)  # (still waiting: said once, not each time)
                workers.append(start_worker())

        threading.Thread(target=rescue, daemon=True).start()
        assert executor.result(future) == 3
    finally:
        logger.removeHandler(handler)
        if executor is not None:
            executor.close()
        for worker in workers:
            worker.kill()
            worker.wait(timeout=30)
    assert said == [f"no worker left on {address}: the run goes on when one connects (Ctrl-C stops it; "
                    "--resume continues it)"]


@pytest.fixture
def not_a_scheduler(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """A TCP service on 127.0.0.1 that is no Dask scheduler: one that greets first with a line of
    its own (an SSH server, a proxy), or one that waits for a request (an HTTP server: the
    scheduler's dashboard on 8787, given for the scheduler's 8786); its address and kind."""
    server = socket.create_server(("127.0.0.1", 0))
    greeting = {"greets": b"SSH-2.0-OpenSSH_9.6\r\n", "waits": b""}[request.param]
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
            if greeting:
                conn.sendall(greeting)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}", request.param
    finally:
        server.close()
        for conn in held:
            conn.close()


@pytest.mark.parametrize("not_a_scheduler", ["greets", "waits"], indirect=True)
def test_a_service_that_is_no_dask_scheduler_is_a_usage_error(not_a_scheduler: tuple[str, str], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """One that greets first was a MemoryError traceback (its greeting read as the length of a
    Dask message), then a minute's wait as the process ended; one that waits for a request
    (an HTTP port) hung for ever without a word: distributed reads the scheduler's greeting
    with no time limit. Both are now one usage line, before any output is written."""
    import cleaner.datasets.runner as runner

    monkeypatch.setattr(runner, "DASK_ANSWER_SECONDS", 2.0, raising=False)
    address, kind = not_a_scheduler
    started = time.monotonic()
    result = _clean_on(address, tmp_path)
    assert result.exit_code == 2, result.output
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"Error: --dask-scheduler {address}: ") and "no Dask scheduler" in error, error
    assert ("SSH-2.0-OpenSSH_9.6" in error) == (kind == "greets"), error
    assert time.monotonic() - started < 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
