"""Datasets at scale: JSONL, JSONL.gz and Parquet files (or directories of shards) cleaned
record by record, in parallel, resumably, locally or on a Dask cluster.

Each record goes through the same pipeline as ``cleaner clean FILE``; the clean text replaces
the text field and the sidecar goes into the ``cleaner`` field (or a separate JSONL file).
"""

from __future__ import annotations

from .formats import CHUNK_RECORDS_DEFAULT, FORMATS, format_of, shards_of
from .job import RunOptions, Shard, plan_shards, run_dataset
from .records import REJECTED_KEY, SIDECAR_KEY, RecordSpec, process_chunk
from .resume import ResumeError
from .summary import summary_text

__all__ = [
    "CHUNK_RECORDS_DEFAULT",
    "FORMATS",
    "REJECTED_KEY",
    "SIDECAR_KEY",
    "RecordSpec",
    "ResumeError",
    "RunOptions",
    "Shard",
    "format_of",
    "plan_shards",
    "process_chunk",
    "run_dataset",
    "shards_of",
    "summary_text",
]
