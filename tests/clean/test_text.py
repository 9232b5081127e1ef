"""Text normalisation before matching."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from analysis.clean.text import normalise_key, normalise_text


def test_invisible_and_lookalikes():
    """Zero-width characters go; non-breaking spaces and hyphens become plain ones."""
    assert normalise_text("\u200bAin\u00a0al\u2011Asad\ufeff  ") == "Ain al-Asad"


def test_nfd_equals_nfc():
    """Decomposed and composed forms normalise to the same text."""
    assert normalise_text(unicodedata.normalize("NFD", "Qa\u0301im")) == "Q\u00e1im"


@given(st.text())
def test_idempotent(text):
    """Normalising twice changes nothing more."""
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert normalise_key(normalise_key(text)) == normalise_key(text)


@given(st.lists(st.text(max_size=12), max_size=30))
def test_fast_path_never_skips_a_change(values):
    """Values the vectorised test calls unchanged really are unchanged by normalise_text."""
    import numpy as np

    from analysis.clean.text import unchanged_by_normalising

    arr = np.array(values, dtype=object)
    for value, same in zip(values, unchanged_by_normalising(arr), strict=True):
        if same:
            assert normalise_text(value) == value


@given(st.lists(st.one_of(st.none(), st.text(alphabet=" `!~a_\x7f\x1f\n\t\u00e9\u00a0\u200b",
                                             max_size=6)), max_size=20), st.integers(0, 3))
@example(["a b", "a  b", " a", "a ", "a`b", "caf\u00e9", "a\tb", "", None, "~!_"], 1)
def test_fast_path_reads_the_bytes_as_the_pattern_says(values, skip):
    """The byte scan answers exactly as the pattern it stands for (a missing value counts as
    unchanged), on a column sliced off another and scanned a few rows at a time."""
    import re

    import numpy as np
    import pandas as pd
    import pytest

    import analysis.clean.text as text_module

    pattern = re.compile(text_module._ALREADY_NORMAL)
    expected = [v is None or v == "" or pattern.fullmatch(v) is not None for v in values]
    column = pd.Series(["x  y"] * skip + values, dtype="str").iloc[skip:]  # an offset array
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(text_module, "_SCAN_ROWS", 3)
        got = text_module.unchanged_by_normalising(column)
    assert got.tolist() == expected
    assert np.array_equal(text_module.unchanged_by_normalising(np.array(values, dtype=object)),
                          expected)
