"""Sources: items, count and earliest publication date."""

from __future__ import annotations

from analysis.clean.sources import parse_source_text, parse_sources


def test_items_counted_by_url():
    """Items are split on ';' and counted once per URL."""
    r = parse_source_text("AP 2023-10-19 https://a.x/1; Reuters 2023-10-18 https://b.x/2;"
                          " AP repost 2023-10-20 https://a.x/1")
    assert (r.n, r.earliest, r.urls) == (2, "2023-10-18", "https://a.x/1 https://b.x/2")


def test_flags_and_missing(make_rows):
    """Items without URL or date are flagged; a row with no source goes to quarantine."""
    out, _ = parse_sources(make_rows(sources=["AP undated https://a.x", "AP 2023-10-19", ""]))
    assert out["flags"].tolist() == ["source_undated", "source_without_url", ""]
    assert out["problem_codes"].tolist() == ["", "", "missing_sources"]
