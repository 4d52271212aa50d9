"""Files on disk: finding inputs, naming outputs, writing atomically. Used by the CLI."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .config import CleanConfig
from .models import CleanResult
from .pipeline import clean_bytes
from .sidecar import dumps
from .timeouts import time_limit

TEXT_SUFFIX = ".txt"
SIDECAR_SUFFIX = ".json"


def clean_file(path: str | Path, config: CleanConfig | None = None, *, name: str | None = None) -> CleanResult:
    """Read one file and clean it (HTML by extension or content), under the time limit."""
    config = config or CleanConfig()
    path = Path(path)
    label = name or str(path)
    if config.max_input_bytes and path.stat().st_size > config.max_input_bytes:
        from .errors import InputError

        raise InputError(f"{label}: {path.stat().st_size:,} bytes is over the limit of "
                         f"{config.max_input_bytes:,} (raise it with --max-input-bytes)")
    data = path.read_bytes()
    with time_limit(config.doc_timeout, label):
        return clean_bytes(data, config, source=label)


def iter_inputs(root: Path, exclude: Path | None = None) -> Iterator[Path]:
    """Every regular file under ``root``, sorted, not following symlinks out of the tree,
    skipping hidden files and ``exclude`` (an output directory inside the input)."""
    root_real = root.resolve()
    excluded = exclude.resolve() if exclude is not None else None
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and (excluded is None or (here / d).resolve() != excluded))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            real = path.resolve()
            if not real.is_file() or not real.is_relative_to(root_real):
                continue
            yield path


def output_pair(out_dir: Path, rel: Path) -> tuple[Path, Path]:
    """IN/x/a.html -> OUT/x/a.txt and OUT/x/a.json."""
    base = out_dir / rel
    return base.with_suffix(TEXT_SUFFIX), base.with_suffix(SIDECAR_SUFFIX)


def sidecar_path_for(text_path: Path) -> Path:
    """out.txt -> out.json (a name without suffix gets .json added)."""
    return text_path.with_suffix(SIDECAR_SUFFIX) if text_path.suffix else Path(str(text_path) + SIDECAR_SUFFIX)


def write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file in the same directory, then rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_result(result: CleanResult, text_path: Path, sidecar_path: Path | None) -> None:
    """Sidecar first, text last: a text file is only there when its sidecar is too."""
    if sidecar_path is not None:
        write_atomic(sidecar_path, dumps(result.sidecar))
    write_atomic(text_path, result.text)
