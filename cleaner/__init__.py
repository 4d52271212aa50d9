"""cleaner: article cleanup and boilerplate removal with an explainable JSON sidecar.

>>> from cleaner import clean_text
>>> result = clean_text("Title of it\\n\\nFoto: dpa\\n\\nA real sentence stays here.")
>>> print(result.text, end="")
Title of it
<BLANKLINE>
A real sentence stays here.
"""

from __future__ import annotations

import logging

from ._version import __version__
from .config import CleanConfig, load_config
from .errors import CleanerError, ConfigError, InputError
from .models import CleanResult, Removal
from .pipeline import clean_bytes, clean_html, clean_text

__all__ = [
    "CleanConfig",
    "CleanResult",
    "CleanerError",
    "ConfigError",
    "InputError",
    "Removal",
    "__version__",
    "clean_bytes",
    "clean_html",
    "clean_text",
    "load_config",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
