import pytest

from cleaner.decode import decode_bytes
from cleaner.errors import InputError


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_common_encodings_decode(encoding: str) -> None:
    text = "Grüße aus Köln: »Straße«, café and naïve résumé, 20 € each."
    if encoding == "latin-1":
        text = text.replace("€", "EUR")
    decoded, _ = decode_bytes(text.encode(encoding))
    assert decoded == text


def test_cyrillic_cp1251() -> None:
    text = "Привет, мир! Это пример текста на русском языке для проверки кодировки."
    assert decode_bytes(text.encode("cp1251"))[0] == text


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"hello\x00world", "NUL"),
    (bytes(range(1, 32)) * 10, "control bytes"),
])
def test_binary_is_a_clear_error(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        decode_bytes(data, "x.bin")
