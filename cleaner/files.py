"""Files on disk: finding inputs, naming outputs, writing atomically. Used by the CLI."""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .config import CleanConfig
from .errors import ConfigError
from .models import CleanResult
from .pipeline import check_size, clean_bytes
from .rules.corpus import MODEL_START
from .sidecar import dumps

log = logging.getLogger(__name__)

TEXT_SUFFIX = ".txt"
SIDECAR_SUFFIX = ".json"


def clean_file(path: str | Path, config: CleanConfig | None = None, *, name: str | None = None) -> CleanResult:
    """Read one file and clean it (HTML by extension or content), under the time limit."""
    config = config or CleanConfig()
    path = Path(path)
    label = name or str(path)
    check_size(path.stat().st_size, config, label)  # before reading: a huge file is never loaded
    return clean_bytes(path.read_bytes(), config, source=label)  # (which keeps the time limit)


class RealPaths:
    """``str(Path.resolve())`` for many files of few directories: each directory is resolved
    once, then a file costs one ``lstat`` (a symbolic link is resolved whole). The tree must not
    change while it is used (it plans a run before the run writes anything). Strings, not
    ``Path`` objects: building those cost more than the rest of a run's planning.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "sub").mkdir(); (d / "link").symlink_to(d / "sub")
    >>> real = RealPaths()
    >>> paths = ["sub/a.txt", "link/a.txt", "link", "no/b", "link/../x", "sub/.", "sub/"]
    >>> [real(d / p) == str((d / p).resolve()) for p in paths]
    [True, True, True, True, True, True, True]
    """

    #: Files answered lately, kept (a run's planning asks about each output several times).
    RECENT = 64

    def __init__(self) -> None:
        self._directories: dict[str, str] = {}
        self._recent: dict[str, str] = {}
        self._cwd = os.getcwd()  # noqa: PTH109

    def __call__(self, path: Path | str) -> str:
        key = os.fspath(path)
        found = self._recent.get(key)
        if found is None:
            if len(self._recent) >= self.RECENT:
                self._recent.clear()
            found = self._recent[key] = self._resolve(key)
        return found

    def _resolve(self, path: str) -> str:
        text = os.path.join(self._cwd, path)  # noqa: PTH118  (not normalized: "link/.." is realpath's to read)
        parent, name = os.path.split(text)
        if name in ("", ".", "..") or os.path.islink(text):  # noqa: PTH114
            return os.path.realpath(text)
        real_parent = self._directories.get(parent)
        if real_parent is None:
            real_parent = self._directories[parent] = os.path.realpath(parent)
        return os.path.join(real_parent, name)  # noqa: PTH118


def inside(path: str, root: str) -> bool:
    """``Path(path).is_relative_to(root)`` for resolved paths as strings.

    >>> inside("/a/b", "/a"), inside("/ab", "/a"), inside("/a", "/a"), inside("/a", "/")
    (True, False, True, True)
    """
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def iter_inputs(root: Path, exclude: Path | None = None, real: RealPaths | None = None,
                folder: Folder | None = None) -> Iterator[Path]:
    """Every document under ``root`` (see ``is_input``), in the order of ``walk_files``,
    skipping ``exclude`` (an output directory inside the input); from ``folder`` when the run
    has walked it already (``list_folder(root, exclude)``), else walked as they are read. A
    directory that cannot be read is a ConfigError that names it: left out, its documents would
    be lost unseen (os.walk skips it silently)."""
    real = real or RealPaths()
    root_real = real(root)
    if folder is not None:
        if folder.unreadable:
            raise unreadable_error(root, folder.unreadable[0])
        files: Iterable[str] = folder.files
    else:
        files = walk_files(root, {real(exclude)} if exclude is not None else set(), real)
    outside: list[str] = []
    for path in files:
        resolved = real(path)
        if _is_document(resolved, root_real):
            yield Path(path)
        elif not inside(resolved, root_real) and os.path.isfile(resolved):  # noqa: PTH113
            outside.append(path)
    if outside:  # left out on purpose, but not without a word: a folder of links is common
        what = (f"{outside[0]}, a symbolic link to a file outside it" if len(outside) == 1 else
                f"{len(outside):,} symbolic links to files outside it ({outside[0]}, ...)")
        log.warning("%s: skipped %s; give such files as inputs to clean them", root, what)


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder input walked once, for every question a run asks of it: is it a directory of
    dataset shards (``datasets.shards_of``), and which documents does it hold (``iter_inputs``)?
    ``files`` are the paths ``walk_files`` gives: a list (``list_folder``: a directory run
    plans every file anyway, and drops the list once its plan has them), or the walk itself,
    read once as it goes; ``unreadable`` the directories it could not read."""

    files: Iterable[str]
    unreadable: list[OSError]


def list_folder(root: Path, prune: Path | None = None, real: RealPaths | None = None) -> Folder:
    """``walk_files(root)`` as a list, leaving out the directory ``prune`` (the run's output
    directory, which no question of the run reads), with the directories it could not read."""
    real = real or RealPaths()
    unreadable: list[OSError] = []
    files = list(walk_files(root, {real(prune)} if prune is not None else set(), real, unreadable))
    return Folder(files, unreadable)


def walk_files(root: Path, prune: Collection[str] = (), real: RealPaths | None = None,
               unreadable: list[OSError] | None = None) -> Iterator[str]:
    """Every visible file under ``root`` (paths as strings), in the order of a sorted
    ``os.walk``: a directory's files, then each of its subdirectories in turn. Hidden names and
    what is under them are left out, symbolic links to directories are not followed (a link to a
    file is a file), and so are the directories whose real path is in ``prune``. One ``scandir``
    a directory and no ``stat`` a regular file. A directory that cannot be read goes to
    ``unreadable``, or without that list is a ConfigError that names it."""
    real = real or RealPaths()
    pending = [str(root)]
    while pending:
        top = pending.pop()
        try:
            with os.scandir(top) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            if unreadable is None:
                raise unreadable_error(root, exc) from exc
            unreadable.append(exc)
            continue
        subdirectories = []
        for entry in entries:
            if is_hidden(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not (prune and real(entry.path) in prune):
                        subdirectories.append(entry.path)
                elif entry.is_file():
                    yield entry.path
            except OSError:  # a symbolic link that loops
                continue
        pending.extend(reversed(subdirectories))


def unreadable_error(root: Path | str, exc: OSError) -> ConfigError:
    return ConfigError(f"{root}: cannot read {exc.filename} ({exc.strerror or exc})")


def is_hidden(name: str) -> bool:
    """A hidden file or directory (``.git``, ``.DS_Store``, the temporary file of ``write_atomic``):
    no walk of a folder (documents, dataset shards, run outputs) reads it or what is under it."""
    return name.startswith(".")


def is_input(path: Path, root: Path) -> bool:
    """Is ``path`` a document of the folder ``root``: a file that ``iter_inputs(root)`` yields
    (by the same rules, for one path)? ``cleaner learn -o`` must not overwrite one."""
    real = RealPaths()
    resolved, root_real = real(path), real(root)
    if not inside(resolved, root_real):
        return False
    if any(is_hidden(part) for part in Path(os.path.relpath(resolved, root_real)).parts):
        return False
    return _is_document(resolved, root_real)


def _is_document(resolved: str, root_real: str) -> bool:
    """A visible file's resolved path: is it a document (a regular file inside the folder, not
    an output of cleaner)?"""
    if not os.path.isfile(resolved) or not inside(resolved, root_real):  # noqa: PTH113
        return False
    return not (resolved.endswith(SIDECAR_SUFFIX) and is_own_output(resolved))


#: How every sidecar file written by ``sidecar.dumps`` begins.
SIDECAR_START = b'{\n  "schema_version": '


def is_own_output(path: str) -> bool:
    """Is this JSON file one that cleaner wrote and that is not a document: a sidecar (beside
    the text of a directory run) or a boilerplate model (``cleaner learn``, whose ``-o`` may be
    inside the corpus)? Cleaning an output directory again, or learning from a corpus twice,
    must not take them for articles, nor let ``a.json`` claim the output ``a.txt`` of ``a.txt``."""
    try:
        with open(path, "rb") as handle:  # noqa: PTH123
            start = handle.read(max(len(SIDECAR_START), len(MODEL_START)))
    except OSError:
        return False  # (the run says it cannot read it)
    return start.startswith((SIDECAR_START, MODEL_START))


#: Longest file name (bytes, UTF-8) most file systems accept.
MAX_NAME_BYTES = 255


class UnsafeOutputName(ValueError):
    """An output name that would land outside the output directory or cannot be a file name."""


def output_pair(out_dir: Path, rel: Path, real: RealPaths | None = None) -> tuple[Path, Path]:
    """IN/x/a.html -> OUT/x/a.txt and OUT/x/a.json; never outside ``out_dir``.

    >>> output_pair(Path("out"), Path("x/a.html"))
    (PosixPath('out/x/a.txt'), PosixPath('out/x/a.json'))
    >>> output_pair(Path("out"), Path("../../etc/passwd"))
    Traceback (most recent call last):
    ...
    cleaner.files.UnsafeOutputName: output name '../../etc/passwd' would leave the output directory
    """
    check_relative_name(rel)
    base = out_dir / rel
    text_path, json_path = base.with_suffix(TEXT_SUFFIX), base.with_suffix(SIDECAR_SUFFIX)
    for path in (text_path, json_path):
        if len(path.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            raise UnsafeOutputName(f"output name {path.name[:40]}... is longer than {MAX_NAME_BYTES} bytes")
    real = real or RealPaths()
    root = real(out_dir)
    if not inside(real(text_path), root) or not inside(real(json_path), root):
        raise UnsafeOutputName(f"output name {rel.as_posix()!r} would leave the output directory "
                               "(through a symbolic link)")
    return text_path, json_path


def check_relative_name(rel: Path) -> None:
    """A name relative to an output directory: no absolute path, no ``..``, no NUL."""
    text = str(rel)
    if "\x00" in text:
        raise UnsafeOutputName(f"output name {text!r} contains a NUL character")
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.name in ("", ".", ".."):
        raise UnsafeOutputName(f"output name {rel.as_posix()!r} would leave the output directory")


def sidecar_path_for(text_path: Path) -> Path:
    """out.txt -> out.json (a name without suffix gets .json added)."""
    return text_path.with_suffix(SIDECAR_SUFFIX) if text_path.suffix else Path(str(text_path) + SIDECAR_SUFFIX)


def is_stream(path: Path | str) -> bool:
    """Does ``path`` name something other than a file or a directory: a device (``/dev/null``,
    ``/dev/stdout``), a named pipe, a socket (through symbolic links), or a file descriptor's
    link (``/dev/stdout`` when the shell sent stdout to a file)? Such an output is written
    into, never replaced: a rename over ``/dev/null`` made it a regular file (as root), over a
    named pipe left its reader waiting for ever, and over ``/dev/stdout`` replaced the link.

    >>> is_stream("/dev/null"), is_stream("/"), is_stream("/no/such/file"), is_stream("/dev/stdout")
    (True, False, False, True)
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)) or _descriptor_link(path)


def _descriptor_link(path: Path | str) -> bool:
    """Is ``path`` (or a symbolic link on the way to it) in a directory under ``/proc``:
    ``/dev/stdout`` -> ``/proc/self/fd/1``, whatever the descriptor is open on?"""
    current = os.path.abspath(path)  # noqa: PTH100
    for _ in range(16):
        directory = os.path.realpath(os.path.dirname(current))  # noqa: PTH120
        if directory == "/proc" or directory.startswith("/proc/"):
            return True
        if not os.path.islink(current):  # noqa: PTH114
            return False
        current = os.path.join(directory, os.readlink(current))  # noqa: PTH118
    return False


def write_all(sink: BinaryIO, data: bytes) -> None:
    """Write every byte: an unbuffered stdout (``python -u``, PYTHONUNBUFFERED) is a raw file,
    whose ``write`` may take only part of the data, e.g. when the reading program stops (the
    next write then raises BrokenPipeError, instead of the rest being lost with exit 0)."""
    view = memoryview(data)
    while view:
        written = sink.write(view)
        view = view[written if written is not None else 0:]


def write_stdout(text: str) -> None:
    """``text`` on stdout, every byte of it (see ``write_all``), flushed."""
    sys.stdout.flush()  # (what click.echo may have left in the text layer goes first)
    write_all(sys.stdout.buffer, text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _write_stream(path: Path, content: str) -> None:
    """Write into a device, a named pipe or a descriptor's link, in append mode: ``-o
    /dev/stdout`` with stdout sent to a file by ``>>`` opens that file again, and "w" emptied it
    (the lines the shell meant to add to went); on a device or a pipe the two are the same."""
    with open(path, "a", encoding="utf-8", newline="") as handle:  # noqa: PTH123
        handle.write(content)


def write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file in the same directory, then rename: never half a file.

    The file gets the permissions of a normally created file (0666 minus the umask), not
    the 0600 of a temporary file. A device or a named pipe (``is_stream``) is written into.
    """
    if is_stream(path):
        _write_stream(path, content)
        return
    tmp = _write_temporary(path, content)
    try:
        _rename(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _rename(tmp: str, path: Path) -> None:
    """``os.replace``, whose error names the output, not the hidden temporary file (`cannot
    write OUT/.a.json.x1y2.part: Is a directory` named a file that the user never made)."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


def check_writable(path: Path) -> None:
    """Can a file be written to ``path`` (its directory made, a file created beside it)? The
    OSError that writing it would raise, now: before a long run whose one output it is."""
    Path(_write_temporary(path, "")).unlink()


def _write_temporary(path: Path, content: str) -> str:
    """``content`` in a new temporary file beside ``path`` (removed again when writing it
    fails or is interrupted); its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # the temporary name must fit where the final name fits: a long name is shortened in it
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:200]}.", suffix=".part", dir=path.parent)
    except OSError as exc:  # (named by the output, not by the temporary file or the directory)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def remove_partial(path: Path) -> None:
    """Remove the temporary files of ``write_atomic(path)`` that a process killed while writing
    it left behind (nothing else writes ``path`` at the time)."""
    prefix = glob.escape(f".{path.name[:200]}.")
    for tmp in path.parent.glob(f"{prefix}*.part"):
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_result(result: CleanResult, text_path: Path, sidecar_path: Path | None) -> None:
    """Both files are written to temporary names first, then renamed, sidecar first, with
    Ctrl-C and SIGTERM (how a worker process is stopped) held back between the two renames: a
    text file is only there when its sidecar is too, and a run stopped while writing them
    leaves both of this run or neither."""
    pending: list[tuple[str, Path]] = []
    try:
        outputs = [(sidecar_path, dumps(result.sidecar))] if sidecar_path is not None else []
        for target, content in [*outputs, (text_path, result.text)]:
            if is_stream(target):  # (a device or a pipe: written into, never replaced)
                _write_stream(target, content)
            else:
                pending.append((_write_temporary(target, content), target))
        with signals_held():
            while pending:
                _rename(*pending[0])
                pending.pop(0)
    except BaseException:
        for tmp, _ in pending:
            Path(tmp).unlink(missing_ok=True)
        raise


#: The signals that stop a run: Ctrl-C, and SIGTERM (a worker process stopped by its parent).
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back in this thread (a thread started meanwhile inherits the
    mask); one that arrives meanwhile is delivered when it ends, never lost."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
