"""End to end: a deliberately messy sheet, checked row by row against its expected outcomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import clean_incidents, read_table
from analysis.errors import InputError
from analysis.merge import row_keys

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def messy():
    return clean_incidents(read_table(DATA / "messy_incidents.csv"), today=TODAY)


def test_accounting_row_by_row(messy):
    """Every sheet row ends exactly where messy_incidents_expected.csv says it should."""
    expected = pd.read_csv(DATA / "messy_incidents_expected.csv", dtype=str)
    where = {}
    for eid, raw_rows in zip(messy.events["event_id"], messy.events["raw_rows"], strict=True):
        for key in raw_rows.split(";"):
            where[int(key.rsplit(":", 1)[1])] = ("event", eid)
    for row, reason in zip(messy.quarantine["source_row"], messy.quarantine["reason"],
                           strict=True):
        assert row not in where, f"row {row} is both an event and quarantined"
        where[int(row)] = ("quarantine", reason)
    got = {r: where.get(r) for r in expected["source_row"].astype(int)}
    want = {int(r): (o, v) for r, o, v in expected.itertuples(index=False)}
    assert got == want
    assert messy.n_raw_rows == len(expected)


def test_merged_report_records_disagreement(messy):
    """Two reports of Tower 22 become one event listing both rows and their disagreement."""
    ev = messy.events.set_index("event_id").loc["M-07"]
    assert ev["raw_rows"] == "messy_incidents.csv:10;messy_incidents.csv:11"
    assert (ev["n_sources"], ev["killed_best"], ev["injured_low"], ev["injured_best"]) == (
        2, 3, 34, 40)
    assert pd.isna(ev["injured_high"])
    assert "conflicting_reports" in ev["flags"] and "injured_best: 34 | 40" in ev["conflicts"]


def test_values_cleaned_and_logged(messy):
    """Cleaned values are right and every change names its rule."""
    ev = messy.events.set_index("event_id")
    assert ev.loc["M-02", ["country", "site", "actor", "confirmed_by_us", "date_precision"]
                  ].tolist() == ["Syria", "al-Tanf garrison", "unknown", "yes", "range"]
    assert ev.loc["M-04", "date_start"] == pd.Timestamp("2023-11-03")
    assert ev.loc["M-10", ["country", "site"]].tolist() == ["Iraq", "US embassy Baghdad"]
    assert "casualties_unparsed" in ev.loc["M-10", "flags"]
    assert {"unknown_site", "unknown_actor", "unknown_weapon"} <= set(
        ev.loc["M-06", "flags"].split("; "))
    ch = messy.changes
    row4 = ch[(ch["source_row"] == 5) & (ch["column"] == "date")]
    assert row4[["raw_value", "clean_value", "rule", "event_id"]].values.tolist() == [
        ["03/11/2023", "2023-11-03", "numeric_dmy_from_file", "M-04"]]
    assert ch["rule"].ne("").all() and set(ch.columns) >= {
        "source_file", "source_row", "event_id", "column", "raw_value", "clean_value", "rule"}


def test_quarantine_keeps_raw_cells(messy):
    """Quarantined rows keep every raw cell as it was, with a message naming the column."""
    q = messy.quarantine.set_index("source_row")
    assert q.loc[7, "date"] == "31 Feb 2024" and q.loc[7, "message"].startswith("date:")
    assert q.loc[19, "Extra column"] == "" and q.loc[6, "reason"] == "blank_row"


def test_clean_is_idempotent_on_clean_values(messy):
    """Feeding the clean values back in as a raw table changes no value."""
    ev = messy.events
    again_raw = pd.DataFrame({
        "event_id": ev["event_id"], "date": [
            s.date().isoformat() if s == e else f"{s.date().isoformat()}/{e.date().isoformat()}"
            for s, e in zip(ev["date_start"], ev["date_end"], strict=True)],
        "country": ev["country"], "location": ev["site"], "actor": ev["actor"],
        "target": ev["target"], "sources": ev["source_list"]})
    again = clean_incidents(again_raw, today=TODAY).events
    for col in ("date_start", "date_end", "country", "site", "actor", "target", "n_sources"):
        assert again[col].tolist() == ev[col].tolist(), col
    assert again["event_id"].tolist() == ev["event_id"].tolist()


def test_bare_frame_missing_column():
    """A researcher's frame without a required column gets the reader's clear error."""
    with pytest.raises(InputError, match="missing required column"):
        clean_incidents(pd.DataFrame({"date": ["2023-10-18"]}))


def test_cross_file_merge_and_possible_duplicates(tmp_path):
    """One event coded in two files merges; two ids on one key in one file stay apart, flagged."""
    head = "event_id,date,country,location,actor,target,sources\n"
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text(head + "A1,2023-11-01,Syria,al-Tanf,IRI,US forces,X 2023-11-01 https://x/1\n"
                 "A2,2023-11-05,Iraq,Ain al-Asad,unknown,US forces,X 2023-11-05 https://x/2\n"
                 "A3,2023-11-05,Iraq,Ain al-Asad,KH,US forces,X 2023-11-05 https://x/3\n"
                 "A4,2023-11-05,Iraq,Ain al-Asad,KH,US forces,X 2023-11-05 https://x/4\n")
    b.write_text(head + "B9,1 Nov 2023,Syria,Tanf garrison,Islamic Resistance in Iraq,US troops,"
                 "Y 2023-11-02 https://y/1\n")
    from analysis import read_tables

    ev = clean_incidents(read_tables([a, b]), today=TODAY).events.set_index("event_id")
    assert ev.loc["A1", "raw_rows"] == "a.csv:2;b.csv:2" and ev.loc["A1", "n_sources"] == 2
    assert "possible_duplicate" in ev.loc["A3", "flags"] and "possible_duplicate" in ev.loc[
        "A4", "flags"]
    assert "possible_duplicate" not in ev.loc["A2", "flags"]
    assert len(ev) == 4


def test_row_keys_unique_per_sheet():
    """Row keys tell sheets of one workbook apart."""
    f = pd.DataFrame({"source_file": "b.xlsx", "source_sheet": ["S1", "S2"], "source_row": 2})
    assert row_keys(f).tolist() == ["b.xlsx[S1]:2", "b.xlsx[S2]:2"]


def test_first_at_matches_numpy_unique():
    """merge's sort-free first occurrences equal np.unique(..., return_index=True)."""
    import numpy as np

    from analysis.merge import _first_at

    rng = np.random.default_rng(1)
    for _ in range(200):
        codes = rng.integers(0, rng.integers(1, 50), rng.integers(0, 300))
        values, first = np.unique(codes, return_index=True)
        got_values, got_first = _first_at(codes)
        assert got_values.tolist() == values.tolist() and got_first.tolist() == first.tolist()


def test_id_used_in_two_files_is_prefixed_with_the_file(tmp_path):
    """Two files that use one id for different events: both ids get their file's name, other
    ids stay as written, and each row's changes name the event the row went to."""
    head = "event_id,date,country,location,actor,target,sources\n"
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text(head + "A1,2023-11-01,Syria,al-Tanf,IRI,US forces,X 2023-11-01 https://x/1\n"
                 "A2,2023-11-05,iraq,Ain al-Asad,KH,US forces,X 2023-11-05 https://x/2\n")
    b.write_text(head + "A1,2023-12-01,IRAQ,Erbil,KH,US forces,Y 2023-12-02 https://y/1\n")
    from analysis import read_tables

    result = clean_incidents(read_tables([a, b]), today=TODAY)
    assert sorted(result.events["event_id"]) == ["A2", "a:A1", "b:A1"]
    country = result.changes.astype(str).query("column == 'country'")
    assert sorted(zip(country["source_file"], country["event_id"], strict=True)) == [
        ("a.csv", "A2"), ("b.csv", "b:A1")]


def test_merged_events_with_and_without_conflicts():
    """Merged events where only some disagree: each gets its own conflicts (blank where the
    reports agree). pyarrow 26's binary_join_element_wise with null_handling="skip" drops the
    rows whose inputs are all null, which made this raise."""
    base = {"event_id": "A", "date": "2023-10-18", "country": "Iraq", "location": "al-Tanf",
            "actor": "KH", "target": "US forces", "sources": "AP 2023-10-19 https://a.example"}
    raw = pd.DataFrame([base, {**base, "event_id": "B", "target": "NA"}, base,
                        {**base, "event_id": "B"}, {**base, "event_id": "C", "casualties": "1 injured"},
                        {**base, "event_id": "C", "casualties": "2 injured"}])
    ev = clean_incidents(raw, today=dt.date(2026, 1, 1)).events.set_index("event_id")
    assert ev["n_reports"].to_dict() == {"A": 2, "B": 2, "C": 2}
    assert ev.loc["A", "conflicts"] == ""
    assert ev.loc["B", "conflicts"] == "target: NA | US forces"
    assert ev.loc["C", "conflicts"] == "injured_best: 1 | 2"
    assert "conflicting_reports" not in ev.loc["A", "flags"].split("; ")
    assert "conflicting_reports" in ev.loc["B", "flags"].split("; ")


def test_releasing_freed_memory_changes_no_result(monkeypatch):
    """Large tables give freed memory back between steps; doing so (forced here on a small
    table) leaves every output as it was."""
    import analysis._memory as memory

    raw = read_table(DATA / "messy_incidents.csv")
    before = clean_incidents(raw, today=TODAY)
    monkeypatch.setattr(memory, "RELEASE_ROWS", 0)
    after = clean_incidents(raw, today=TODAY)
    for name in ("events", "quarantine", "changes"):
        pd.testing.assert_frame_equal(getattr(before, name), getattr(after, name))


def test_sources_read_in_a_thread_reach_the_caller(monkeypatch):
    """The sources cells are read in a thread while the other steps run: what it reads is what
    parse_sources gets, an error there reaches the caller, and an error in another step is
    raised once the thread is done (no thread is left running)."""
    import threading

    import analysis.pipeline as pipeline
    from analysis.clean.sources import read_source_cells
    from analysis.clean.text import normalise_text

    raw = read_table(DATA / "messy_incidents.csv")
    first = raw["sources"].iat[0]
    raw["sources"] = raw["sources"].mask(raw.index == 0, " " + first.replace(" ", "\u00a0", 1))
    seen = []

    def spy(values):
        seen.append(values.tolist())
        return read_source_cells(values)

    monkeypatch.setattr(pipeline, "read_source_cells", spy)
    result = clean_incidents(raw, today=TODAY)
    assert seen == [[normalise_text(s) for s in raw["sources"].fillna("")]]  # as normalised
    assert seen[0][0] == first
    assert result.events["n_sources"].gt(0).all()

    def fail(values):
        raise RuntimeError("sources failed")

    monkeypatch.setattr(pipeline, "read_source_cells", fail)
    with pytest.raises(RuntimeError, match="sources failed"):
        clean_incidents(raw, today=TODAY)

    done = threading.Event()

    def slow(values):
        threading.Event().wait(0.5)
        done.set()
        return read_source_cells(values)

    def broken_step(frame, **kwargs):
        raise ValueError("a step failed")

    monkeypatch.setattr(pipeline, "read_source_cells", slow)
    monkeypatch.setattr(pipeline, "parse_dates", broken_step)
    with pytest.raises(ValueError, match="a step failed"):
        clean_incidents(raw, today=TODAY)
    assert done.is_set()  # the error came after the thread had finished


def test_taking_text_a_slice_at_a_time_changes_no_result(monkeypatch):
    """Merge copies long text columns a slice of rows at a time; slices of two rows (so that
    merged events fall inside slices and across their edges) give the same tables."""
    import analysis.merge as merge

    ids = ["M1", "S1", "M2", "M1", "S2", "M3", "M2", "S3", "M3", "M4", "S4", "M4"]
    raw = pd.DataFrame({
        "event_id": ids, "date": [f"2024-01-{10 + int(i[1])}" for i in ids],
        "country": "Syria", "location": "al-Tanf", "actor": "Islamic Resistance in Iraq",
        "target": "US forces", "casualties": "",
        "sources": [f"AP 2024-02-{n + 1:02d} https://a.example/{n}" for n in range(len(ids))],
        "notes": [f"note {n}" for n in range(len(ids))]})
    before = clean_incidents(raw, today=TODAY)
    assert (before.events["n_reports"] == 2).sum() == 4
    monkeypatch.setattr(merge, "_TEXT_SLICE", 2)
    after = clean_incidents(raw, today=TODAY)
    for name in ("events", "quarantine", "changes"):
        pd.testing.assert_frame_equal(getattr(before, name), getattr(after, name))
    import pyarrow as pa

    assert pa.array(after.events["source_list"].array).num_chunks > 1  # it did slice
    merged = after.events.set_index("event_id")
    assert merged.loc["M3", "source_list"] == ("AP 2024-02-06 https://a.example/5; "
                                               "AP 2024-02-09 https://a.example/8")


def test_group_ids_number_combinations_in_order_of_first_appearance():
    """Combined ids stay right when the product of the columns' sizes would overflow int64
    (the ids are renumbered first)."""
    import numpy as np

    from analysis.merge import _group_ids

    rng = np.random.default_rng(0)
    cols = [pd.Series(rng.integers(0, 50_000, 3000)) for _ in range(5)]  # 50,000^5 > 2^62
    cols.append(pd.Series(rng.choice(["a", "b", None], 3000)))
    got = _group_ids(cols)
    want = pd.DataFrame({i: c for i, c in enumerate(cols)}).groupby(
        list(range(len(cols))), sort=False, dropna=False).ngroup().to_numpy()
    np.testing.assert_array_equal(got, want)
    assert got.dtype == np.int64


def test_as_categorical_missing_beside_blank_text_is_one_category():
    """A missing value where "" is already a value joins that category (two "" categories
    would be a broken categorical, and pandas is no longer asked to check)."""
    from analysis.clean._log import as_categorical

    c = as_categorical(pd.Series(["", None, "a"], dtype=object))
    assert list(c.categories) == ["", "a"] and list(c) == ["", "", "a"]
    c = as_categorical(pd.Series([None, "a"], dtype=object))
    assert list(c.categories) == ["a", ""] and list(c) == ["", "a"]


def _cell_by_cell(values: pd.Series) -> pd.Series:
    """The rule cells_as_text follows, one cell at a time (what it did before it went by
    distinct values): text as it is, missing "", anything else its str()."""
    values = values.astype(object)
    return values.where(values.notna().to_numpy(), "").map(
        lambda v: v if isinstance(v, str) else str(v)).astype("str")


_ANY_COLUMN = {
    "int": pd.Series([3, 1, 3, -2]),
    "float": pd.Series([1.5, np.nan, -0.0, 0.0, 1.5, 1e20, np.inf]),
    "float32": pd.Series([0.1, np.nan, 0.1], dtype="float32"),
    "Int64": pd.Series([1, None, 1], dtype="Int64"),
    "Float64": pd.Series([1.5, None, -0.0, 0.0], dtype="Float64"),
    "bool": pd.Series([True, False, True]),
    "boolean": pd.Series([True, None, False], dtype="boolean"),
    "datetime": pd.Series(pd.to_datetime(["2023-10-18", None, "2023-10-18 05:00"],
                                         format="ISO8601")),
    "datetime_tz": pd.Series(pd.to_datetime(["2023-10-18", None]).tz_localize("UTC")),
    "timedelta": pd.Series(pd.to_timedelta(["1D", None, "2h"])),
    "category": pd.Series(["a", None, "b", "a"], dtype="category"),
    "category_int": pd.Series([1, None, 2], dtype="category"),
    "object_mixed": pd.Series(["a", 3, None, 1.0, True, np.nan, pd.NaT, [1]], dtype=object),
    "object_text": pd.Series(["a", None, np.nan, "b"], dtype=object),
    "string": pd.Series(["a", None, "b"], dtype="string"),
    "str": pd.Series(["a", None, "b"], dtype="str"),
    "period": pd.Series(pd.period_range("2023-01", periods=3, freq="M")),
    "all_missing": pd.Series([np.nan, np.nan]),
    "empty": pd.Series([], dtype=float),
}


@pytest.mark.parametrize("name", list(_ANY_COLUMN))
def test_cells_as_text_matches_the_cell_by_cell_rule(name):
    """By distinct values, cells_as_text gives what the cell-by-cell rule gives, for every kind
    of column a researcher's frame may hold: -0.0 stays apart from 0.0, 1.0 from 1 and True,
    and a missing cell is "" whatever its kind."""
    from analysis.reference import cells_as_text

    values = _ANY_COLUMN[name].set_axis(pd.RangeIndex(5, 5 + len(_ANY_COLUMN[name])))
    got, want = cells_as_text(values), _cell_by_cell(values)
    assert got.tolist() == want.tolist()
    assert got.dtype == want.dtype and got.index.equals(want.index)


def test_a_frame_of_numbers_and_dates_is_read_as_their_text():
    """A researcher's frame with numeric and date columns (as pandas reads a spreadsheet):
    each cell becomes its text before cleaning, as documented."""
    frame = pd.DataFrame({"event_id": [101, 102], "date": pd.to_datetime(["2023-10-18", None]),
                          "country": "Syria", "location": "al-Tanf", "actor": "KH",
                          "target": "US forces", "casualties": [3.0, np.nan],
                          "sources": "AP 2023-10-19 https://a.example"})
    result = clean_incidents(frame, today=dt.date(2025, 1, 1))
    assert result.events["event_id"].tolist() == ["101"]
    assert result.events["casualties_raw"].tolist() == ["3.0"]
    assert result.events["date_start"].tolist() == [pd.Timestamp("2023-10-18")]
    assert result.quarantine["reason"].tolist() == ["missing_date"]


_ANY_VALUES = {
    "float64": st.lists(st.one_of(st.floats(), st.sampled_from([0.0, -0.0, 1.0])), max_size=30),
    "float32": st.lists(st.floats(width=32), max_size=30),
    "int64": st.lists(st.integers(-2**63, 2**63 - 1), max_size=30),
    "Int64": st.lists(st.one_of(st.none(), st.integers(-2**63, 2**63 - 1)), max_size=30),
    "bool": st.lists(st.booleans(), max_size=30),
    "datetime64[ns]": st.lists(st.one_of(st.none(), st.datetimes(
        min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(2200, 1, 1))), max_size=30),
    "object": st.lists(st.one_of(st.none(), st.text(max_size=5), st.integers(-3, 3),
                                 st.floats(), st.booleans()), max_size=30),
    "category": st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", " ", ""])),
                         max_size=30),
}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(_ANY_VALUES)).flatmap(
    lambda dtype: st.tuples(st.just(dtype), _ANY_VALUES[dtype])))
def test_cells_as_text_is_the_cell_by_cell_rule(case):
    """cells_as_text goes by distinct values; on any column of these kinds it gives what the
    rule gives cell by cell (NaN, -0.0, 1 == 1.0 == True, NaT and None included)."""
    from analysis.reference import cells_as_text

    dtype, values = case
    series = pd.Series(values, dtype=dtype)
    got, want = cells_as_text(series), _cell_by_cell(series)
    assert got.tolist() == want.tolist() and got.dtype == want.dtype
