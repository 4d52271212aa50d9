"""Stage 1: bytes to str. BOM first, then UTF-8, then a charset detected by charset-normalizer.

Binary input (NUL bytes, mostly control characters, an image) is an InputError, never garbage.
"""

from __future__ import annotations

import codecs

from .errors import InputError

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
)
# Encodings seen on real web text; a rarer guess on a short text is usually a detector mistake.
COMMON_ENCODINGS = frozenset(codecs.lookup(e).name for e in (
    "cp1252", "latin-1", "iso8859-15", "cp1250", "iso8859-2", "cp1251", "koi8-r", "iso8859-5",
    "cp1253", "iso8859-7", "cp1254", "iso8859-9", "cp1255", "cp1256", "cp1257", "iso8859-13",
    "shift_jis", "cp932", "euc-jp", "iso2022_jp", "gb18030", "gbk", "gb2312", "big5", "euc-kr",
    "cp949", "tis-620", "cp874", "utf-16", "mac-roman",
))
PREFERENCE = [codecs.lookup(e).name for e in ("cp1252", "cp1251", "cp1250", "shift_jis", "gb18030", "euc-kr")]
SNIFF_BYTES = 4096
#: A text that is UTF-8 but for stray bytes: at most this share of bytes invalid, and at
#: least STRAY_UTF8_RATIO valid multibyte characters per invalid one.
MAX_STRAY_UTF8 = 0.002
STRAY_UTF8_RATIO = 10
MAX_CONTROL_RATIO = 0.05


def decode_bytes(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode a document; returns (text, encoding used).

    >>> decode_bytes("Grüße, café und naïve Ideen".encode("cp1252"))
    ('Grüße, café und naïve Ideen', 'cp1252')
    >>> decode_bytes(b"\\xef\\xbb\\xbfhi")
    ('hi', 'utf-8')
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: starts with a {encoding} byte-order mark but {exc.reason} "
                                 f"at byte {exc.start}", "undecodable") from exc
    refuse_binary(data, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as first_error:
        if mostly_utf8(data):
            return data.decode("utf-8", errors="replace"), "utf-8"
        return _detect(data, name, first_error)


def mostly_utf8(data: bytes) -> bool:
    """UTF-8 but for a few stray bytes (a legacy byte pasted into a UTF-8 text).

    >>> mostly_utf8("Grüße, schöne Straße und Köln: ".encode() * 5 + bytes([0x96]))
    True
    >>> mostly_utf8("Grüße".encode("cp1252"))
    False
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127) - bad
    return multibyte >= STRAY_UTF8_RATIO * bad and bad <= max(1.0, MAX_STRAY_UTF8 * len(data))


def refuse_binary(data: bytes, name: str) -> None:
    """Raise InputError when ``data`` (no byte-order mark) is binary: a known file signature
    (an image, a PDF, gzip-compressed data, ...), a NUL byte or many control bytes near the start.
    A document and a page are refused alike."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: looks like {what}, not text", "binary")
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise InputError(f"{name}: contains NUL bytes (binary data or UTF-16 without a byte-order mark)",
                         "binary")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls / len(head) > MAX_CONTROL_RATIO:
        raise InputError(f"{name}: {controls} control bytes in the first {len(head)}: binary data, not text",
                         "binary")


def _best_guess(matches) -> str:  # type: ignore[no-untyped-def]
    """The detector's best common encoding; among equally good guesses, the most common one
    on the web (the detector cannot tell cp1252 from cp1250 on German text, say)."""
    candidates = [(m.chaos, -m.coherence, codecs.lookup(m.encoding).name) for m in matches]
    common = [c for c in candidates if c[2] in COMMON_ENCODINGS]
    if not common:
        return "cp1252"  # short texts fool the detector; cp1252 is the usual culprit on the web
    best = min(common)[:2]
    tied = [c[2] for c in common if c[:2] == best]
    return min(tied, key=lambda e: (PREFERENCE.index(e) if e in PREFERENCE else len(PREFERENCE), e))


def _detect(data: bytes, name: str, first_error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    encoding = _best_guess(from_bytes(data[: 1024 * 1024]))
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte 0x{data[first_error.start]:02x} at {first_error.start}) "
            f"and not {encoding} either; convert it to UTF-8 first (e.g. iconv)", "undecodable"
        ) from exc
