"""Turning the bytes of a saved article into text, or a reason why not.

Saved pages arrive in whatever encoding the browser or script wrote; a reader
that chokes on a BOM or cp1252 loses articles, so decoding is its own step with
one clear failure type that import can report per file.
"""

from __future__ import annotations

import codecs

MAX_ARTICLE_BYTES = 5 * 1024 * 1024


class UnreadableError(ValueError):
    """The bytes are not an article we can read; the message is the reason."""


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII text is NUL."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > 0.4 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.4 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, *, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """Decode an article file; raise UnreadableError with a short reason.

    Order: BOM, BOM-less UTF-16, strict UTF-8, then cp1252 (a superset of
    Latin-1 for printable text) with Latin-1 as the last resort, since those two
    accept any byte sequence and would otherwise hide binary files.
    """
    if len(data) > max_bytes:
        raise UnreadableError(f"too large ({len(data):,} bytes; limit {max_bytes:,})")
    if not data.strip():
        raise UnreadableError("empty file")
    text: str | None = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise UnreadableError(f"bad {enc} text ({exc.reason})") from None
            break
    if text is None:
        enc16 = _looks_utf16(data)
        if enc16:
            try:
                text = data.decode(enc16)
            except UnicodeDecodeError:
                text = None
    if text is None:
        if b"\x00" in data[:8192]:
            raise UnreadableError("binary file (NUL bytes)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableError("empty file")
    if _control_ratio(text) > 0.05:
        raise UnreadableError("binary file (control characters)")
    return text


_BINARY_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, *range(0x0D, 0x1B), *range(0x1C, 0x20), *range(0x7F, 0xA0)])


def _control_ratio(text: str) -> float:
    """Share of control characters (other than tab, newline, form feed, ESC) in the first 8 KB."""
    sample = text[:8192]
    # The controls are all below U+00A0, so Latin-1 keeps each as one byte (dropping only
    # characters that cannot be one), and deleting bytes counts them: a regex scan took
    # about fifty instructions a character, this a few.
    latin = sample.encode("latin-1", "ignore")
    return (len(latin) - len(latin.translate(None, _BINARY_CONTROLS))) / max(1, len(sample))
