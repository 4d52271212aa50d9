"""Many files cleaned into a directory: one after the other, or in worker processes.

``cleaner clean DIR -o OUT`` plans every file's outputs in the parent (names, conflicts), then
cleans the files here. With workers, the files go in batches to the same spawned processes as
a dataset run (``datasets.runner``: each loads the rules once), each file's outputs are
written by the worker that cleaned it, and the outcomes come back in input order: the same
files, bytes, messages and summary for any number of workers.
"""

from __future__ import annotations

import traceback
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ._startup import raise_if_interrupted
from .config import CleanConfig
from .datasets.records import WORKER_CRASHED
from .errors import CleanerError
from .files import clean_file, remove_partial, write_result
from .models import Removal

if TYPE_CHECKING:
    from .datasets.runner import PoolExecutor

#: Files sent to a worker at a time (fewer round trips than one by one; small enough that
#: the workers finish together).
FILES_PER_TASK = 8
#: One file to clean: (input, text output, sidecar output).
Job = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What became of one file: written (with what the summary counts of it), or failed with
    a reason code; ``message`` is what to say about it on stderr, ``trace`` the traceback of an
    internal error (logged by the parent at -vv: a worker process has no console of its own)."""

    failure: str | None = None
    message: str | None = None
    trace: str | None = None
    removed: tuple[Removal, ...] = ()
    language: str | None = None
    stats: Mapping[str, int] = field(default_factory=dict)


def clean_to(path: Path | str, text_path: Path | str, json_path: Path | str,
             config: CleanConfig) -> FileOutcome:
    """Clean one file into its outputs. Never raises for one bad file: a bug in cleaning one
    document must not stop the batch."""
    path, text_path, json_path = Path(path), Path(text_path), Path(json_path)
    try:
        result = clean_file(path, config)
    except CleanerError as exc:
        message = str(exc)
        return FileOutcome(exc.reason, message if message.startswith(str(path)) else f"{path}: {message}")
    except OSError as exc:
        return FileOutcome("unreadable", f"{path}: cannot read it: {exc.strerror or exc}")
    except Exception as exc:
        message = f"{path}: internal error ({type(exc).__name__}: {exc}); please report it"
        message += " (-vv for the traceback)"
        return FileOutcome("internal_error", message, traceback.format_exc())
    try:
        write_result(result, text_path, json_path)
    except OSError as exc:
        where = exc.filename or text_path
        return FileOutcome("write_error", f"{path}: cannot write {where}: {exc.strerror or exc}")
    return FileOutcome(removed=result.removed, language=result.language, stats=dict(result.stats))


def _clean_batch(jobs: Sequence[Job], config: CleanConfig) -> list[FileOutcome]:
    return [clean_to(*job, config) for job in jobs]


def workers_for(requested: int | None, input_bytes: int, files: int) -> int:
    """Worker processes for a run (``runner.workers_for_bytes``), never more than there are
    batches of files.

    >>> workers_for(None, 500_000, 40), workers_for(4, 10, 9), workers_for(4, 10**9, 4_000)
    (1, 2, 4)
    """
    from .datasets.runner import workers_for_bytes

    return max(1, min(workers_for_bytes(requested, input_bytes), -(-files // FILES_PER_TASK)))


def clean_files(jobs: Sequence[Job], config: CleanConfig, workers: int) -> Generator[FileOutcome, None, None]:
    """The outcome of every job, in order; cleaned lazily in this process (one worker) or ahead
    in ``workers`` processes (a bounded number of batches in flight; a file whose cleaning kills
    a worker fails alone, see ``PoolExecutor``). Closing the iterator early (an error, Ctrl-C)
    cancels what has not started and stops the workers."""
    if workers <= 1:
        for job in jobs:
            raise_if_interrupted()
            yield clean_to(*job, config)
        return
    from .datasets.runner import PoolExecutor

    executor = PoolExecutor(workers, config)
    batches = [tuple(jobs[i:i + FILES_PER_TASK]) for i in range(0, len(jobs), FILES_PER_TASK)]
    try:
        for outcomes in executor.map_tasks(_clean_batch, batches, config, _isolate_batch, _remove_partial):
            yield from outcomes
    finally:
        executor.close()


def _remove_partial(jobs: Sequence[Job]) -> None:
    """The temporary files a worker killed while writing these files' outputs left behind."""
    for _, text_path, json_path in jobs:
        remove_partial(Path(text_path))
        remove_partial(Path(json_path))


def _isolate_batch(executor: PoolExecutor, jobs: Sequence[Job], config: CleanConfig) -> list[FileOutcome]:
    """A batch that kills a worker: each file alone; one that kills a worker alone fails."""
    return executor.each_alone(_clean_batch, jobs, config, _crashed)


def _crashed(job: Job) -> FileOutcome:
    return FileOutcome(WORKER_CRASHED, f"{job[0]}: the worker process cleaning it died "
                                       "(a crash inside a library); left out")
