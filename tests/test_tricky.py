"""The tricky-input corpus: every file in tests/data/tricky meets the outcome written beside it.

Each ``NN-name.{csv,xlsx}`` has ``NN-name.expected.json``: either ``error`` (a substring of the
one-line InputError) or the numbers of events and quarantined rows by reason, and optionally
cell values, flags, change-log rules, sheets and notes that must appear.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import clean_incidents, read_table
from analysis.errors import InputError

CORPUS = Path(__file__).parent / "data" / "tricky"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix in {".csv", ".xlsx"})


def test_corpus_is_large_enough():
    """At least 40 tricky inputs, each with its expected outcome beside it."""
    assert len(CASES) >= 40
    for path in CASES:
        assert path.with_name(path.stem + ".expected.json").exists(), path.name


def _value(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return v.item() if hasattr(v, "item") else v


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_tricky_input(path):
    """The input ends exactly as its expected file says, and the accounting rule holds."""
    expect = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if "error" in expect:
            with pytest.raises(InputError) as info:
                read_table(path, **expect.get("read", {}))
            assert expect["error"] in str(info.value)
            assert path.name in str(info.value)
            return
        raw = read_table(path, **expect.get("read", {}))
    result = clean_incidents(raw, today=dt.date(2026, 1, 1))
    ev = result.events.set_index("event_id")
    assert len(ev) == expect["events"]
    assert result.quarantine["reason"].value_counts().to_dict() == expect["quarantine"]
    assert result.events["n_reports"].sum() + len(result.quarantine) == len(raw)
    for eid, column, value in expect.get("cells", []):
        assert _value(ev.loc[eid, column]) == value, (eid, column)
    for eid, flag in expect.get("flags", []):
        assert flag in ev.loc[eid, "flags"].split("; "), (eid, flag)
    rules = ";".join(result.changes["rule"])
    for rule in expect.get("rules", []):
        assert rule in rules, rule
    for eid, text in expect.get("conflicts_contain", []):
        assert text in ev.loc[eid, "conflicts"]
    for eid, sheet in expect.get("sheets", {}).items():
        assert ev.loc[eid, "raw_rows"].startswith(f"{path.name}[{sheet}]:")
    for eid, row in expect.get("source_rows", {}).items():
        assert ev.loc[eid, "raw_rows"] == f"{path.name}:{row}"
    for row, column, value in expect.get("quarantine_cells", []):
        q = result.quarantine.set_index("source_row")
        assert q.loc[row, column] == value
    notes = " ".join(str(w.message) for w in caught)
    for text in expect.get("notes_contain", []):
        assert text in notes
