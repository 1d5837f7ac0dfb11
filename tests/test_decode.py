"""Decoding and repair: bytes, encodings, mojibake, entities, odd spaces, invisibles."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner
from cleaner.decode import (
    _CP1252_HIGH,
    _ENTITY,
    BinaryInputError,
    _needs_ftfy,
    decode_bytes,
    repair_text,
)


def test_utf8_bom_and_utf16_bom():
    assert decode_bytes(b"\xef\xbb\xbfCaf\xc3\xa9") == "Café"
    assert decode_bytes("\ufeffCafé".encode("utf-16-le")) == "Café"


def test_cp1252_fallback_never_raises():
    assert decode_bytes("“Café” — 5€".encode("cp1252")) == "“Café” — 5€"
    assert decode_bytes(b"a\x81b\x9dc") == "a\x81b\x9dc"  # undefined in cp1252: latin-1


def test_nul_bytes_are_binary():
    with pytest.raises(BinaryInputError):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_mojibake_and_entities_repaired_curly_quotes_kept():
    assert repair_text("Iranâ€™s â€œrevengeâ€\x9d") == "Iran’s “revenge”"
    assert repair_text("soldiers &amp; troops &#8220;hit&#8221;") == "soldiers & troops “hit”"
    assert repair_text("&amp;amp;") == repair_text(repair_text("&amp;amp;"))


def test_spaces_invisibles_and_line_ends():
    assert repair_text("a\u00a0b\u2009c\r\nd\re") == "a b c\nd\ne"
    assert repair_text("in\u00adter\u200bna\u2060tional\x07") == "international"
    assert repair_text("می\u200cخواهم") == "می\u200cخواهم"  # ZWNJ stays (Persian)


@pytest.mark.parametrize(
    "text",
    [
        "東京で地震があった。",
        "Ｆｕｌｌｗｉｄｔｈ ｌｅｔｔｅｒｓ stay",
        "Der Bürgermeister sagte, «es reicht».",
        "Москва заявила о переговорах.",
        "ﬁne ligatures stay",
    ],
)
def test_clean_text_in_any_script_is_unchanged(text):
    assert repair_text(text) == text
    assert cleaner.normalize(text) == text + "\n"


def test_nfc():
    assert repair_text("Cafe\u0301") == "Café"


# The symptom test as one stdlib pattern, as it was before _needs_ftfy split it in two.
_ONE_PATTERN = re.compile("[\u00c2-\u00f4][\u0080-\u00bf" + _CP1252_HIGH + "]|" + _ENTITY)
_SYMPTOM_PIECES = st.sampled_from(
    ["&amp;", "&#39;", "&#x2019;", "&nbsp", "& amp;", "&;", "Ã©", "Ã", "â€™", "é", "Â ", "ô\u0080"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), _SYMPTOM_PIECES), max_size=8))
def test_symptom_test_equals_the_single_pattern(pieces):
    text = "".join(pieces)
    assert _needs_ftfy(text) == bool(_ONE_PATTERN.search(text))
