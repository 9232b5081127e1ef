"""Property-based tests of the whole read-and-clean pipeline on generated tables."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import clean_incidents, read_table
from analysis.errors import InputError
from analysis.merge import row_keys

COLUMNS = ["event_id", "date", "country", "location", "actor", "target", "weapon", "casualties",
           "claimed_by", "attributed_by", "confirmed_by_us", "sources", "notes", "coder"]
SYNONYMS = {"event_id": ["Event ID", "id", "INCIDENT_ID"], "date": ["Date", " DATE "],
            "location": ["Site", "location"], "sources": ["Source", "URLS"],
            "casualties": ["Casualty text"], "country": ["Country"]}
# Cell text mixes plausible values with arbitrary unicode (including control characters).
PLAUSIBLE = ["2023-10-18", "18-19 Oct 2023", "03/11/2023", "Nov 2023", "45217", "31 Feb 2024",
             "Iraq", "Syria", "SYR", "Ain al-Asad", "al-Tanf", "Tower 22", "unknown", "KH",
             "3 killed, 40+ injured", "99999999999999999999 killed", "no injuries", "NA", "None",
             "-", "=1+1",
             "AP 2023-10-19 https://a.example", "yes", "", " ", "\u00a0", "\u200b"]
cell = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=25))


@st.composite
def tables(draw):
    optional = [c for c in COLUMNS if c not in {"event_id", "date", "country", "location",
                                               "actor", "target", "sources"}]
    cols = ["event_id", "date", "country", "location", "actor", "target", "sources"]
    cols += draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)))
    cols = draw(st.permutations(cols))
    headers = [draw(st.sampled_from([c, *SYNONYMS.get(c, [])])) for c in cols]
    if draw(st.booleans()):
        headers.append("Reviewer comments")
    n = draw(st.integers(0, 12))
    rows = [[draw(cell) for _ in headers] for _ in range(n)]
    for _ in range(draw(st.integers(0, 3))):
        rows.insert(draw(st.integers(0, len(rows))), [""] * len(headers))
    return headers, rows


def _read_and_clean(path: Path):
    """Read and clean ``path``; None when the reader refuses it with an InputError."""
    try:
        raw = read_table(path)
    except InputError:
        return None
    return raw, clean_incidents(raw, today=dt.date(2026, 1, 1))


def _check_accounting(raw: pd.DataFrame, result) -> None:
    keys = set(row_keys(raw))
    in_events = [k for r in result.events["raw_rows"] for k in r.split(";")]
    in_quarantine = list(row_keys(result.quarantine)) if len(result.quarantine) else []
    seen = in_events + in_quarantine
    assert len(seen) == len(set(seen)) == len(keys) and set(seen) == keys


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_csv_accounting_always_holds(table):
    """Any CSV: every row ends in one event or quarantine; only InputError is ever raised."""
    headers, rows = table
    buf = io.StringIO()
    csv.writer(buf).writerows([headers, *rows])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gen.csv"
        path.write_text(buf.getvalue(), encoding="utf-8", newline="")
        done = _read_and_clean(path)
    if done is None:
        return
    raw, result = done
    _check_accounting(raw, result)
    assert (result.quarantine["reason"] != "").all()
    assert (result.changes["rule"] != "").all()


@settings(max_examples=60, deadline=None)
@given(tables())
def test_dataframe_accounting_always_holds(table):
    """A researcher's own DataFrame with arbitrary text obeys the same rule."""
    headers, rows = table
    frame = pd.DataFrame(rows, columns=headers) if rows else pd.DataFrame(columns=headers)
    if frame.columns.duplicated().any():
        return
    try:
        result = clean_incidents(frame, today=dt.date(2026, 1, 1))
    except InputError:
        return
    assert result.events["n_reports"].sum() + len(result.quarantine) == len(frame)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_traceback(data):
    """Arbitrary bytes as a CSV: a result or an InputError, never another exception."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bytes.csv"
        path.write_bytes(b"event_id,date,country,location,actor,target,sources\n" + data)
        done = _read_and_clean(path)
    if done is not None:
        _check_accounting(*done)


BASE_ROW = {"event_id": "A", "date": "2023-10-18", "country": "Syria", "location": "al-Tanf",
            "actor": "KH", "target": "US forces", "weapon": "drone", "casualties": "2 injured",
            "claimed_by": "", "attributed_by": "", "confirmed_by_us": "yes",
            "sources": "AP 2023-10-19 https://a.example", "notes": "", "coder": "AB"}


@st.composite
def mostly_valid_tables(draw):
    """Rows that mostly clean, with ids from a small pool, so that reports get merged and
    merged reports disagree in some cells and agree in others."""
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        row = dict(BASE_ROW, event_id=draw(st.sampled_from(["A", "B", "C"])))
        for col in draw(st.lists(st.sampled_from(COLUMNS[1:]), unique=True, max_size=3)):
            row[col] = draw(cell)
        rows.append(row)
    return pd.DataFrame(rows)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mostly_valid_tables())
def test_merging_mostly_valid_rows_never_raises(frame):
    """Merges of near-valid reports: every row accounted for, conflicts only where merged."""
    result = clean_incidents(frame, today=dt.date(2026, 1, 1))
    ev = result.events
    assert ev["n_reports"].sum() + len(result.quarantine) == len(frame)
    assert (ev.loc[ev["n_reports"] == 1, "conflicts"] == "").all()
    assert ev["raw_rows"].str.count(";").add(1).tolist() == ev["n_reports"].tolist()


@given(st.lists(st.one_of(st.integers(0, 40), st.integers(-3, 2**40)), max_size=50),
       st.sampled_from(["int64", "intp", "int32"]))
def test_unique_inverse_is_numpys_unique(values, dtype):
    """The lookup-table shortcut gives exactly ``np.unique(values, return_inverse=True)``:
    small non-negative ranges take the table, negative or far-apart values take the sort."""
    import numpy as np

    from analysis.clean._log import unique_inverse

    arr = np.array([v % 2**31 if dtype == "int32" else v for v in values], dtype=dtype)
    uniques, inverse = unique_inverse(arr)
    want_u, want_i = np.unique(arr, return_inverse=True)
    assert uniques.dtype == want_u.dtype and uniques.tolist() == want_u.tolist()
    assert inverse.tolist() == want_i.reshape(-1).tolist()
    assert np.array_equal(uniques[inverse], arr)
