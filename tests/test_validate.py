"""The schema is the codebook: the written codebook is generated from it and kept in step."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.validate import EVENT_COLUMNS, codebook_markdown, event_schema, validate_events

ROOT = Path(__file__).resolve().parents[1]


def test_docs_codebook_matches_schema():
    """docs/codebook.md holds the table generated from the schema, word for word."""
    text = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert codebook_markdown() in text, "regenerate with: python -m analysis codebook"


def test_architecture_columns_present():
    """Every events column ARCHITECTURE.md requires is in the schema."""
    required = ["event_id", "date_start", "date_end", "date_precision", "country",
                "country_iso3", "site", "latitude", "longitude", "actor", "target",
                "weapon_class", "killed_low", "killed_best", "killed_high", "injured_low",
                "injured_best", "injured_high", "n_sources", "raw_rows"]
    assert set(required) <= set(EVENT_COLUMNS)


def test_schema_rejects_bad_events():
    """The events schema catches out-of-range values and low above best."""
    import pandera.pandas as pa

    from analysis import clean_incidents

    ev = clean_incidents(pd.DataFrame({
        "event_id": ["A"], "date": ["2023-10-18"], "country": ["Iraq"], "location": ["Harir"],
        "actor": ["x"], "target": ["y"], "casualties": ["2 killed"],
        "sources": ["a 2023-10-18 https://a"]})).events
    validate_events(ev)
    bad = ev.assign(killed_low=pd.array([5], dtype="Int64"))
    with pytest.raises(pa.errors.SchemaErrors, match="killed_low_not_above_best"):
        validate_events(bad)
    with pytest.raises(pa.errors.SchemaErrors):
        event_schema().validate(ev.assign(weapon_class="catapult"), lazy=True)


def test_vectorised_check_fails_the_same_rows_as_pandera():
    """check_frame (used on the hot path) and the pandera schema reject exactly the same rows."""
    import pandera.pandas as pa

    from analysis import clean_incidents
    from analysis.validate import check_frame

    n = 12
    ev = clean_incidents(pd.DataFrame({
        "event_id": [f"E{i}" for i in range(n)], "date": "2023-10-18", "country": "Iraq",
        "location": "Harir", "actor": "x", "target": "y", "casualties": "2 killed, 3 injured",
        "sources": [f"a 2023-10-18 https://a/{i}" for i in range(n)]})).events
    bad = ev.copy()
    bad.loc[1, "killed_low"] = 5  # low above best
    bad.loc[2, "killed_best"] = -1  # negative
    bad.loc[3, "weapon_class"] = "catapult"  # not an allowed value
    bad.loc[4, "country_iso3"] = "iq"  # pattern
    bad.loc[5, "date_end"] = pd.Timestamp("2023-10-01")  # before the start
    bad.loc[6, "latitude"] = 95.0  # out of range
    bad.loc[7, "event_id"] = ""  # too short
    bad.loc[8, "confirmed_by_us"] = "maybe"
    bad.loc[9, "n_sources"] = 0
    _, codes, messages = check_frame(bad)
    with pytest.raises(pa.errors.SchemaErrors) as err:
        event_schema().validate(bad, lazy=True)
    by_pandera = set(err.value.failure_cases["index"].dropna().astype(int))
    assert set(np.flatnonzero(codes.to_numpy() == "schema")) == by_pandera == set(range(1, 10))
    assert "killed_low_not_above_best" in messages.iloc[1]
    assert "weapon_class: fails isin" in messages.iloc[3]
    assert (messages.iloc[[0, 10, 11]] == "").all()

    only = np.ones(n, dtype=bool)
    only[[2, 5]] = False  # rows already quarantined for another reason are not checked again
    checked, codes_only, messages_only = check_frame(bad, only=only)
    assert set(np.flatnonzero(codes_only.to_numpy() == "schema")) == {1, 3, 4, 6, 7, 8, 9}
    assert (messages_only.iloc[[2, 5]] == "").all()
    assert len(checked) == n  # every row is kept and typed; the caller chooses
