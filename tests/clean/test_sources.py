"""Sources: items, count and earliest publication date."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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


ITEM = st.one_of(st.sampled_from([
    "AP 2023-10-19 https://a.x/1", "Reuters 2023-02-30 https://b.x/2", "X undated https://c.x/3",
    "no url 2023-10-18", "", " ; ", "https://a.x/1", "AFP 2023-10-18 http://d.x/(4).",
    "AP 2023-10-19 https://A.x/1", "two https://a.x/1 2023-10-17 http://b.x/2",
    "see:https://e.x/5?u=http://f.x 2023-10-16", "AP https:// 2023-10-15", "AP https://",
    "2023-10-14https://g.x/2023-10-13", "x12023-10-12 https://h.x", "AP 2023-10-11\thttps://i.x,)",
    "é 2023-10-10 https://é.x/ü", "https://j.x 20231009 2023-10-09x",
    "ahttps://k.x/2023-10-08 2023-10-08-09", "12023-10-07-2023-10-06 hhttp://l.x",
    "http:/ /m.x 2023-1-05", "2023-10-04https://n.x2023-10-03", "AP http; ://o.x 2023-10-02",
    "AP https:/; /p.x 2023-10-01 2023-10-0;1 x"]), st.text(max_size=20),
    st.text(alphabet="htps:/ 0123-;.,)\t", max_size=30))
CELL = st.lists(ITEM, max_size=4).map("; ".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(CELL, max_size=8), st.integers(1, 9))
def test_vectorised_matches_single_value_reader(cells, rows_at_a_time):
    """parse_sources (vectorised, a slice of rows at a time) and parse_source_text (one cell)
    always agree."""
    from unittest import mock

    import pandas as pd

    frame = pd.DataFrame({"source_file": "t.csv", "source_row": range(2, len(cells) + 2),
                          "flags": "", "problem_codes": "", "problem_messages": "",
                          "sources": cells})
    with mock.patch("analysis.clean.sources._SLICE", rows_at_a_time):
        out, _ = parse_sources(frame)
    for i, cell in enumerate(cells):
        r = parse_source_text(cell)
        assert out["source_list"].iat[i] == r.items
        assert out["source_urls"].iat[i] == r.urls
        assert out["n_sources"].iat[i] == r.n
        got = out["source_date_earliest"].iat[i]
        assert (got.strftime("%Y-%m-%d") if pd.notna(got) else "") == r.earliest
        flags = out["flags"].iat[i].split("; ")
        assert ("source_without_url" in flags) == (r.without_url and r.n > 0)
        assert ("source_undated" in flags) == (r.undated and r.n > 0)


def test_cells_read_beforehand_give_the_same_result(make_rows):
    """parse_sources with the cells already read (as the pipeline reads them in a thread)
    gives what it gives reading them itself; cells read from another number of rows stop it."""
    import pandas as pd
    import pytest

    from analysis.clean.sources import read_source_cells

    frame = make_rows(sources=["AP undated https://a.x", "AP 2023-10-19", "",
                               "R 2023-10-18 https://b.x; AP 2023-10-17 https://c.x"])
    cells = read_source_cells(frame["sources"])
    pd.testing.assert_frame_equal(parse_sources(frame, cells=cells)[0], parse_sources(frame)[0])
    with pytest.raises(ValueError, match="3 rows, the frame has 4"):
        parse_sources(frame, cells=read_source_cells(frame["sources"].iloc[:3]))
