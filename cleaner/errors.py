"""Errors raised by the library, organised by what the caller should do about them.

Every error a document can fail with has a ``reason``: a stable snake_case code used in the
run summary (``failed`` counts) and in the ``--rejected`` file.
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""

    reason = "error"


class InputError(CleanerError):
    """This document cannot be cleaned (binary, undecodable, too large); others can."""

    reason = "bad_input"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class ConfigError(CleanerError):
    """The configuration is invalid; nothing can be cleaned until it is fixed."""

    reason = "config"


class DocumentTimeout(InputError):
    """Cleaning this document took longer than the per-document time limit."""

    reason = "timeout"
