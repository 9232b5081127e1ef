"""Text normalisation before matching."""

from __future__ import annotations

import unicodedata

from hypothesis import given
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
