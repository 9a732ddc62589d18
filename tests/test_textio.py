"""Decoding saved articles: every common encoding reads, binary is refused."""

import codecs

import pytest

from tui.textio import UnreadableError, decode_bytes

TEXT = "“Café” — naïve résumé, 10 €"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-nobom", "cp1252"],
)
def test_common_encodings_decode_to_the_same_text(data):
    assert decode_bytes(data) == TEXT


def test_latin1_only_bytes_decode():
    assert decode_bytes("Ærø, ñ".encode("latin-1")) == "Ærø, ñ"


@pytest.mark.parametrize(
    "data,reason",
    [(b"", "empty"), (b"  \n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_unreadable_files_give_a_reason(data, reason):
    with pytest.raises(UnreadableError, match=reason):
        decode_bytes(data)


def test_windows_newlines_become_plain_newlines():
    assert decode_bytes(b"a\r\nb\rc") == "a\nb\nc"
