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


def pytest_sessionstart(session):
    """Tests and notebooks read data/processed: clean data/raw and compute the tables first
    (the build's first steps, without figures or notebooks), as `python -m analysis build` does."""
    from analysis import paths
    from analysis.build import clean_raw
    from analysis.products import (
        COUNTRIES,
        DEFAULT_END,
        DEFAULT_START,
        load_processed,
        make_tables,
        write_tables,
    )

    clean_raw(paths.RAW, paths.PROCESSED)
    ds = load_processed(paths.PROCESSED, paths.RAW)
    write_tables(make_tables(ds), paths.PROCESSED / "tables", DEFAULT_START, DEFAULT_END,
                 COUNTRIES)
