"""Build the report page: one HTML file with its styles, script and data inlined.

The data travels as one JSON blob in ``<script type="application/json">``; every ``<``, ``>``
and ``&`` in it is written as a JSON ``\\u`` escape, so no document text can close the script
element or open a comment, and ``JSON.parse`` gives back exactly what was put in. The page has
a Content-Security-Policy that allows nothing from the network: it opens offline from disk.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib import resources
from typing import Any

_PLACEHOLDER = re.compile(r"\{\{(TITLE|CSS|JS|DATA)\}\}")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def json_for_script(data: Any) -> str:
    """JSON text that is safe inside a ``<script>`` element and parses back to ``data``.

    >>> json_for_script({"t": "</script><!-- & -->"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003c!-- \\\\u0026 --\\\\u003e"}'
    >>> json.loads(json_for_script({"t": "</script>"}))
    {'t': '</script>'}
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m[0]], text)


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def render(data: dict[str, Any]) -> str:
    """The whole page for the data ``collect`` returned."""
    values = {
        "TITLE": html.escape(f"cleaner report: {data['meta']['run']}"),
        "CSS": _asset("report.css"),
        "JS": _asset("report.js"),
        "DATA": json_for_script(data),
    }
    for name in ("CSS", "JS"):
        if re.search(r"</(style|script)", values[name], re.IGNORECASE):
            raise ValueError(f"report.{name.lower()} must not contain a closing </style> or </script>")
    # One pass: text substituted in cannot be mistaken for a placeholder.
    return _PLACEHOLDER.sub(lambda m: values[m[1]], _asset("template.html"))
