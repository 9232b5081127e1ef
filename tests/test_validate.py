"""The schema is the codebook: the written codebook is generated from it and kept in step."""

from __future__ import annotations

from pathlib import Path

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
