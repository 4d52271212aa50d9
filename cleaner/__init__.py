"""cleaner: article cleanup and boilerplate removal with an explainable JSON sidecar.

>>> from cleaner import clean_text
>>> result = clean_text("Title of it\\n\\nFoto: dpa\\n\\nA real sentence stays here.")
>>> print(result.text, end="")
Title of it
<BLANKLINE>
A real sentence stays here.
"""

from __future__ import annotations

# first of all: Ctrl-C held back while the command starts (only in the command's process)
from ._startup import hold_ctrl_c

hold_ctrl_c()

import logging  # noqa: E402

from ._version import __version__  # noqa: E402
from .config import CleanConfig, load_config  # noqa: E402
from .errors import CleanerError, ConfigError, InputError  # noqa: E402
from .models import CleanResult, Removal  # noqa: E402
from .pipeline import clean_bytes, clean_html, clean_text  # noqa: E402

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
