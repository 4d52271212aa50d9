"""Errors raised by the library, organised by what the caller should do about them."""

from __future__ import annotations


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class InputError(CleanerError):
    """This document cannot be cleaned (binary, undecodable, too large); others can."""


class ConfigError(CleanerError):
    """The configuration is invalid; nothing can be cleaned until it is fixed."""


class DocumentTimeout(InputError):
    """Cleaning this document took longer than the per-document time limit."""
