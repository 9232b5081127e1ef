"""Shared fixtures: small hand-typed frames in the reader's shape."""

from __future__ import annotations

import pandas as pd
import pytest


def rows(**columns) -> pd.DataFrame:
    """A frame shaped like the reader's output for the given columns (one value or a list each)."""
    n = max((len(v) for v in columns.values() if isinstance(v, list)), default=1)
    base = {"source_file": "t.csv", "source_sheet": "", "source_row": list(range(2, n + 2)),
            "flags": "", "problem_codes": "", "problem_messages": ""}
    return pd.DataFrame({**base, **columns})


@pytest.fixture
def make_rows():
    return rows
