"""Exports are safe to open in a spreadsheet; parquet keeps the true values; output is
deterministic."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pandas as pd

from analysis import clean_incidents, paths, read_tables
from analysis.export import escape_formulas, write_csv, write_excel, write_outputs

TODAY = dt.date(2026, 1, 1)
RISKY = ["=SUM(A1:A2)", "+1", "-2 killed", "@cmd", "\tx", "\rx", "plain"]


def test_csv_escapes_every_trigger(tmp_path):
    """Cells beginning with = + - @ tab or CR are prefixed with a quote in CSV."""
    path = write_csv(pd.DataFrame({"a": RISKY, "n": range(len(RISKY))}), tmp_path / "x.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back["a"].tolist()[:6] == ["'" + v for v in RISKY[:6]]
    assert back["a"].iat[6] == "plain" and back["n"].tolist()[0] == "0"


def test_parquet_keeps_true_values(tmp_path):
    """The parquet file holds the values unescaped."""
    frame = pd.DataFrame({"a": RISKY})
    frame.to_parquet(tmp_path / "x.parquet")
    assert pd.read_parquet(tmp_path / "x.parquet")["a"].tolist() == RISKY
    assert escape_formulas(frame)["a"].iat[0] == "'=SUM(A1:A2)"


def test_excel_writes_text_never_formulas(tmp_path):
    """A formula-like cell is stored as text in .xlsx, and reads back unchanged."""
    path = write_excel(pd.DataFrame({"a": RISKY[:4], "d": pd.to_datetime(["2023-10-18"] * 4)}),
                       tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws["A"][1:]] == RISKY[:4]
    assert all(c.data_type == "s" for c in ws["A"][1:])
    assert ws["B2"].value == "2023-10-18"


def test_excel_keeps_error_like_text_and_missing_cells(tmp_path):
    """Text that reads like an Excel error value (#N/A) or a formula stays text; missing
    values are empty cells; numbers stay numbers."""
    frame = pd.DataFrame({"a": ["#N/A", "=1", "#REF!", None, "x"],
                          "n": pd.array([1, None, 3, 4, 5], dtype="Int64")})
    ws = openpyxl.load_workbook(write_excel(frame, tmp_path / "x.xlsx")).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows == [["#N/A", 1], ["=1", None], ["#REF!", 3], [None, 4], ["x", 5]]
    assert [ws.cell(row=r, column=1).data_type for r in (2, 3, 4, 6)] == ["s"] * 4


def test_two_cleans_give_identical_files(tmp_path):
    """Cleaning the raw data twice writes byte-identical processed files."""
    inputs = [paths.RAW / "attacks.csv", paths.RAW / "us_strikes.csv"]

    def run(folder):
        files = write_outputs(clean_incidents(read_tables(inputs)), folder, excel=True)
        return {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in files.items()
                if name != "events.xlsx"}

    assert run(tmp_path / "a") == run(tmp_path / "b")


def test_csv_written_in_slices_is_the_same_file(tmp_path, monkeypatch):
    """Writing a slice of rows at a time gives the bytes of one whole write, also when a
    date column has a time of day only in a later slice and a text column is a category."""
    import analysis.export as export

    frame = pd.DataFrame({
        "when": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03 10:30", None],
                               format="mixed"),
        "day": pd.to_datetime(["2024-01-01", None, "2024-01-03", "2024-01-04"]),
        "kind": pd.Categorical(["=x", "b", "a", "b"]),
        "text": ["a,b", 'say "x"', "-1", None],
        "n": pd.array([1, None, 3, 4], dtype="Int64")})
    whole = write_csv(frame, tmp_path / "whole.csv").read_bytes()
    monkeypatch.setattr(export, "_BATCH", 2)
    sliced = write_csv(frame, tmp_path / "sliced.csv").read_bytes()
    assert sliced == whole
    lines = whole.decode().splitlines()
    assert lines[1] == '"2024-01-01 00:00:00",2024-01-01,"\'=x","a,b",1'
    assert lines[3] == '"2024-01-03 10:30:00",2024-01-03,"a","\'-1",3'


def test_parquet_dictionary_only_where_values_repeat(tmp_path):
    """Parquet dictionary-encodes a text column whose first rows repeat their values (and
    every category and number column), not one of mostly distinct values; either way the
    file reads back as the frame."""
    import pyarrow.parquet as pq

    from analysis.export import write_parquet_text

    n = 400
    frame = pd.DataFrame({"id": [f"EV-{i}" for i in range(n)],
                          "country": ["Iraq", "Syria"] * (n // 2),
                          "kind": pd.Categorical(["a", "b", "c", "d"] * (n // 4)),
                          "killed": range(n)})
    path = write_parquet_text(frame, tmp_path / "x.parquet")
    chunks = pq.ParquetFile(path).metadata.row_group(0)
    dictionary = {chunks.column(i).path_in_schema:
                  any("DICTIONARY" in e for e in chunks.column(i).encodings)
                  for i in range(chunks.num_columns)}
    assert dictionary == {"id": False, "country": True, "kind": True, "killed": True}
    pd.testing.assert_frame_equal(pd.read_parquet(path), frame.astype({"kind": "str"}))


def test_events_kept_as_categories_write_the_same_files(tmp_path, monkeypatch):
    """``clean_incidents(categories=True)`` (what the command line uses) keeps the event table's
    few-valued text as categories with the same values, and write_outputs writes the same CSV
    bytes and a parquet file that reads back as the text table, also a slice at a time."""
    import analysis.export as export
    from analysis.validate import as_schema_types

    monkeypatch.setattr(export, "_BATCH", 7)  # several CSV slices
    monkeypatch.setattr(export, "_ROW_GROUP", 9)  # and parquet row groups
    inputs = [paths.RAW / "attacks.csv", paths.RAW / "us_strikes.csv",
              Path(__file__).parent / "data" / "messy_incidents.csv"]
    text = clean_incidents(read_tables(inputs), today=TODAY)
    compact = clean_incidents(read_tables(inputs), today=TODAY, categories=True)

    kept = [c for c in compact.events if isinstance(compact.events[c].dtype, pd.CategoricalDtype)]
    assert {"country", "site", "actor", "weapon_class"} <= set(kept)
    assert not any(isinstance(t, pd.CategoricalDtype) for t in text.events.dtypes)
    assert compact.events["event_id"].dtype == "str"
    pd.testing.assert_frame_equal(as_schema_types(compact.events), text.events)


    a = write_outputs(text, tmp_path / "text")
    b = write_outputs(compact, tmp_path / "compact")
    for name in ("events.csv", "quarantine.csv", "changes.csv"):
        assert a[name].read_bytes() == b[name].read_bytes(), name
    text.events.to_parquet(tmp_path / "pandas.parquet", index=False)
    expected = pd.read_parquet(tmp_path / "pandas.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(b["events.parquet"]), expected)
    pd.testing.assert_frame_equal(pd.read_parquet(a["events.parquet"]), expected)


def test_tables_read_into_categories_clean_to_the_same_files(tmp_path):
    """The command line reads few-valued columns straight into categories
    (``read_tables(categories=True)``): cleaning that gives the same files, byte for byte, as
    cleaning the plain text read."""
    inputs = [paths.RAW / "attacks.csv", paths.RAW / "us_strikes.csv"]
    raw = read_tables(inputs, categories=True)
    assert {"country", "actor", "coder", "source_file"} <= {  # categories in both files
        c for c in raw if isinstance(raw[c].dtype, pd.CategoricalDtype)}
    text = clean_incidents(read_tables(inputs), today=TODAY)
    compact = clean_incidents(raw, today=TODAY, categories=True)
    a = write_outputs(text, tmp_path / "text")
    b = write_outputs(compact, tmp_path / "compact")
    for name in ("events.csv", "quarantine.csv", "changes.csv"):
        assert a[name].read_bytes() == b[name].read_bytes(), name
    pd.testing.assert_frame_equal(pd.read_parquet(a["events.parquet"]),
                                  pd.read_parquet(b["events.parquet"]))
