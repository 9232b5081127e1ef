"""Inputs a fuzzing run found to raise a traceback or to miscount (session of 2026-11-25).

Each test fails on the code before its fix; the fix is named in the docstring.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart, Reference

from analysis import clean_incidents, read_table, write_outputs
from analysis.errors import InputError
from analysis.read import InputRepeated, read_tables

HEADER = "event_id,date,country,location,actor,target,sources"
ROW = "A,2023-10-18,Syria,al-Tanf,KH,US forces,AP 2023-10-19 https://a.example"


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_semicolon_in_file_name_keeps_the_accounting(tmp_path):
    """raw_rows joins row keys with ';', so a ';' in a file name is written %3B (it broke the
    accounting check, a RuntimeError)."""
    (tmp_path / "a;b.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    r = run("clean", "a;b.csv", "--out", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    events = pd.read_csv(tmp_path / "out" / "events.csv", dtype=str)
    assert events["raw_rows"].tolist() == ["a%3Bb.csv:2"]


def test_semicolon_in_sheet_name(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "S;1"
    book.active.append(HEADER.split(","))
    book.active.append(ROW.split(","))
    book.save(tmp_path / "w.xlsx")
    result = clean_incidents(read_table(tmp_path / "w.xlsx"))
    assert result.events["raw_rows"].tolist() == ["w.xlsx[S%3B1]:2"]


def test_extra_header_suffixes_never_collide(tmp_path):
    """Extra headers x, x, x_2: the second x becomes x_3 (it became x_2, a second column of
    that name, and pandas raised)."""
    (tmp_path / "a.csv").write_text(f"{HEADER},x,x,x_2\n{ROW},1,2,3\n", encoding="utf-8")
    raw = read_table(tmp_path / "a.csv")
    assert [raw[c].item() for c in ("x", "x_3", "x_2")] == ["1", "2", "3"]
    assert len(clean_incidents(raw).events) == 1


def test_chart_sheet_is_skipped(tmp_path):
    """A workbook's chart sheet holds no cells: skipped with a note (it raised AttributeError)."""
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(HEADER.split(","))
    book.active.append(ROW.split(","))
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Chart").add_chart(chart)
    book.save(tmp_path / "w.xlsx")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        raw = read_table(tmp_path / "w.xlsx")
    assert len(raw) == 1 and any("chart sheet" in str(w.message) for w in caught)
    r = run("clean", "w.xlsx", "--sheet", "Chart", "--out", "out", cwd=tmp_path)
    assert r.returncode == 2 and "is a chart sheet" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("out", ["a.csv", "a.csv/sub"])
def test_out_that_is_a_file_is_a_one_line_error(tmp_path, out):
    """--out naming a file (or a folder under one): exit 2 before any work (it raised
    FileExistsError or NotADirectoryError after cleaning)."""
    (tmp_path / "a.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    r = run("clean", "a.csv", "--out", out, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith(f"error: --out {out}: cannot be used")
    assert "Traceback" not in r.stderr


def test_codec_failing_with_plain_unicode_error(tmp_path):
    """--encoding punycode fails with UnicodeError, not UnicodeDecodeError: a one-line error."""
    (tmp_path / "a.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    r = run("clean", "a.csv", "--encoding", "punycode", "--out", "out", cwd=tmp_path)
    assert r.returncode == 2 and "cannot be read as punycode" in r.stderr
    assert "Traceback" not in r.stderr


def test_the_same_input_twice_is_read_once(tmp_path):
    """One file given twice (or one sheet named twice) would count each row twice."""
    path = tmp_path / "a.csv"
    path.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    with pytest.warns(InputRepeated):
        raw = read_tables([path, tmp_path / "." / "a.csv"])
    assert len(raw) == 1
    book = openpyxl.Workbook()
    book.active.title = "S"
    book.active.append(HEADER.split(","))
    book.active.append(ROW.split(","))
    book.save(tmp_path / "w.xlsx")
    assert len(read_tables([tmp_path / "w.xlsx"], sheets=["S", "S"])) == 1


def test_same_file_name_in_two_folders_gives_distinct_ids(tmp_path):
    """Two a.csv in different folders, both with id A: a:A twice (then a:A[] twice) before;
    now each id names the file as given."""
    for folder, day in (("x", "18"), ("y", "25")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.csv").write_text(
            f"{HEADER}\n{ROW.replace('2023-10-18', f'2023-10-{day}')}\n", encoding="utf-8")
    r = run("clean", "x/a.csv", "y/a.csv", "--out", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    events = pd.read_csv(tmp_path / "out" / "events.csv", dtype=str)
    assert events["event_id"].tolist() == ["x/a.csv:A", "y/a.csv:A"]
    changes = pd.read_csv(tmp_path / "out" / "changes.csv", dtype=str)
    assert set(zip(changes["source_file"], changes["event_id"], strict=True)) == {
        ("x/a.csv", "x/a.csv:A"), ("y/a.csv", "y/a.csv:A")}


def test_ids_written_like_prefixed_ones_stay_unique(tmp_path):
    """a.csv has ids A and b:A, b.csv has A: b:A must not appear twice."""
    (tmp_path / "a.csv").write_text(
        f"{HEADER}\n{ROW}\n{ROW.replace('A,', 'b:A,', 1).replace('10-18', '10-20')}\n",
        encoding="utf-8")
    (tmp_path / "b.csv").write_text(f"{HEADER}\n{ROW.replace('10-18', '10-22')}\n",
                                    encoding="utf-8")
    events = clean_incidents(read_tables([tmp_path / "a.csv", tmp_path / "b.csv"])).events
    assert events["event_id"].is_unique and len(events) == 3


def test_excel_output_with_a_control_character(tmp_path):
    """A control character in a cell: written as Excel writes it, _x0001_ (openpyxl raised
    IllegalCharacterError after the CSV and parquet files were written)."""
    (tmp_path / "a.csv").write_text(f"{HEADER},notes\n{ROW},x\x01y\n", encoding="utf-8")
    result = clean_incidents(read_table(tmp_path / "a.csv"))
    write_outputs(result, tmp_path / "out", excel=True)
    sheet = openpyxl.load_workbook(tmp_path / "out" / "events.xlsx").active
    assert "x_x0001_y" in [c.value for c in sheet[2]]


def _read_one(tmp_path):
    (tmp_path / "a.csv").write_text(f"{HEADER},weapon,notes\n{ROW},drone,x\n", encoding="utf-8")
    return read_table(tmp_path / "a.csv")


@pytest.mark.parametrize("column", ["_merged_cells", "source_sheet", "notes", "weapon"])
def test_read_table_output_with_a_column_dropped(tmp_path, column):
    """A researcher drops a column from read_table's frame: it is blank again (KeyError)."""
    result = clean_incidents(_read_one(tmp_path).drop(columns=[column]))
    assert len(result.events) == 1


def test_rows_added_to_read_table_output_without_origin(tmp_path):
    """Rows concatenated to read_table's frame without source_file: one clear InputError
    (an IndexError deep in the steps before)."""
    raw = _read_one(tmp_path)
    more = pd.concat([raw, pd.DataFrame([dict(zip(HEADER.split(","), ROW.split(","),
                                                  strict=True))])], ignore_index=True)
    with pytest.raises(InputError, match="row 2 of the frame has no source_file"):
        clean_incidents(more)
    more.loc[1, ["source_file", "source_row"]] = ["mine", 2]
    assert clean_incidents(more).events["n_reports"].sum() == 2


def test_extended_gazetteer_without_aliases_and_with_a_bad_latitude():
    """The docs' way to add a site, with no aliases column (AttributeError before); a
    latitude that is not a number names the gazetteer's row and column (ValueError before)."""
    from analysis.reference import load_gazetteer

    mine = pd.DataFrame([{"site_id": "SY-X", "name": "Camp X", "country_iso3": "SYR",
                          "latitude": "33.5", "longitude": "38.6", "geo_precision": "site"}])
    gaz = pd.concat([load_gazetteer(), mine], ignore_index=True)
    row = dict(zip(HEADER.split(","), ROW.split(","), strict=True), location="Camp X")
    ev = clean_incidents(pd.DataFrame([row]), gazetteer=gaz).events
    assert ev[["site_id", "latitude"]].values.tolist() == [["SY-X", 33.5]]
    gaz.loc[len(gaz) - 1, "latitude"] = "33.5N"
    with pytest.raises(InputError, match=f"gazetteer, row {len(gaz)}, column latitude"):
        clean_incidents(pd.DataFrame([row]), gazetteer=gaz)


def test_match_across_files_on_other_columns(tmp_path):
    """Matching across files on dates and country alone (KeyError '_site_key' before); an
    unknown column is a ValueError that names it."""
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    raw = read_tables([tmp_path / "a.csv", tmp_path / "b.csv"])
    ev = clean_incidents(raw, match_across_files=("date_start", "date_end", "country_iso3")).events
    assert ev["n_reports"].tolist() == [2]
    with pytest.raises(ValueError, match="match_across_files: site_name not among"):
        clean_incidents(raw, match_across_files=("site_name",))


# Second round of the fuzzing helper (same session).


@pytest.mark.parametrize("header", ["reason", "message", "source_file", "_pos"])
def test_extra_header_with_a_reserved_name_is_kept(tmp_path, header):
    """An extra column named like one of the library's own (quarantine's reason or message,
    the reader's source_file, anything starting with _) is kept as extra_<name>: it crashed
    the quarantine writer, or its cells were silently dropped."""
    (tmp_path / "a.csv").write_text(
        f"{HEADER},{header}\n{ROW},v1\n{ROW.replace('2023-10-18', '31 Feb 2024')},v2\n",
        encoding="utf-8")
    r = run("clean", "a.csv", "--out", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    q = pd.read_csv(tmp_path / "out" / "quarantine.csv", dtype=str)
    assert q[f"extra_{header}"].tolist() == ["v2"] and q["reason"].tolist() == ["impossible_date"]


def test_percent_and_semicolon_names_stay_distinct(tmp_path):
    """'a;b.csv' and 'a%3Bb.csv' gave the same raw_rows key; '%' is now written %25."""
    (tmp_path / "a;b.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    (tmp_path / "a%3Bb.csv").write_text(f"{HEADER}\n{ROW.replace('A,', 'B,', 1)}\n",
                                        encoding="utf-8")
    raw = read_tables([tmp_path / "a;b.csv", tmp_path / "a%3Bb.csv"])
    keys = clean_incidents(raw, match_across_files=None).events["raw_rows"]
    assert sorted(keys) == ["a%253Bb.csv:2", "a%3Bb.csv:2"]


def test_an_output_that_cannot_be_written_is_a_one_line_error(tmp_path):
    """events.csv already a folder: exit 2 and one line (OSError traceback before)."""
    (tmp_path / "a.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    (tmp_path / "out" / "events.csv").mkdir(parents=True)
    r = run("clean", "a.csv", "--out", "out", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("error: --out out: cannot write")
    assert "Traceback" not in r.stderr


def test_reference_tables_are_checked():
    """Researchers' actor, weapon, country and gazetteer tables: blank or missing cells and
    columns are named, optional columns may be left out (TypeError, KeyError, ... before)."""
    import numpy as np

    from analysis.reference import load_actors, load_countries, load_gazetteer, load_weapons

    row = pd.DataFrame([dict(zip(HEADER.split(","), ROW.split(","), strict=True))])
    actors = load_actors().astype(object)
    actors.loc[2, "alias"] = np.nan
    with pytest.raises(InputError, match="actors, row 3, column alias: blank"):
        clean_incidents(row, actors=actors)
    assert len(clean_incidents(row, weapons=load_weapons().drop(columns=["subsumes"])).events)
    with pytest.raises(InputError, match="countries: missing column"):
        clean_incidents(row, countries=load_countries().drop(columns=["iso3"]))
    gaz = load_gazetteer()
    with pytest.raises(InputError, match="gazetteer: column.s. named twice: name"):
        clean_incidents(row, gazetteer=pd.concat([gaz, gaz[["name"]]], axis=1))


@pytest.mark.parametrize("change", ["twice", "huge", "bool"])
def test_read_table_rows_that_repeat_or_have_no_row_number(tmp_path, change):
    """The same raw row twice (a frame concatenated with itself) was counted twice; a row
    number of 1e20 wrapped round; True was taken for row 1."""
    raw = _read_one(tmp_path)
    if change == "twice":
        raw = pd.concat([raw, raw], ignore_index=True)
    else:
        raw = raw.astype({"source_row": object})
        raw.loc[0, "source_row"] = 1e20 if change == "huge" else True
    with pytest.raises(InputError, match="repeats a.csv row 2|is not a row number"):
        clean_incidents(raw)


def test_declared_codec_giving_lone_surrogates(tmp_path):
    """utf-7 can decode to a lone surrogate: a one-line error naming the line."""
    (tmp_path / "a.csv").write_text(f"{HEADER}\n{ROW} +2AA- x\n", encoding="utf-8")
    r = run("clean", "a.csv", "--encoding", "utf-7", "--out", "out", cwd=tmp_path)
    assert r.returncode == 2 and "line 2 decodes" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("given", ["surrogate", "dict", "series"])
def test_odd_things_passed_as_a_table(given):
    """A lone surrogate in a researcher's frame (UnicodeEncodeError before), or a dict or a
    Series instead of a DataFrame (AttributeError before): one InputError."""
    row = dict(zip(HEADER.split(","), ROW.split(","), strict=True))
    table = {"surrogate": pd.DataFrame([row, dict(row, notes="x\ud800y")], dtype=object),
             "dict": row, "series": pd.Series(row)}[given]
    with pytest.raises(InputError, match="row 2, column notes: text that is not valid|"
                                         "expected a DataFrame"):
        clean_incidents(table)


def test_blank_out_is_a_one_line_error(tmp_path):
    (tmp_path / "a.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    r = run("clean", "a.csv", "--out", "", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("error: --out needs a folder name")
    assert not (tmp_path / "events.csv").exists()


@pytest.mark.parametrize("column", ["date", "source_row"])
def test_read_table_frame_with_a_column_twice(tmp_path, column):
    """A column named twice in a read_table frame is named in one InputError (a second
    source_row raised 'truth value of a Series is ambiguous')."""
    raw = _read_one(tmp_path)
    with pytest.raises(InputError, match=f"column.s. named twice: {column}"):
        clean_incidents(pd.concat([raw, raw[[column]]], axis=1))


# Left from the second round and fixed in the twelfth session (2026-11-26).

def test_read_table_frame_without_its_private_columns_keeps_each_rows_origin(tmp_path):
    """read_table's frame, filtered and with its ``_`` columns dropped (as researchers do
    before looking at it), still names each row's file and sheet row: before, it was taken
    for a frame of the researcher's own and its rows renumbered ``<DataFrame>:2, 3`` without
    a word."""
    lines = [f"{HEADER}\n"] + [ROW.replace("A,", f"{k},", 1) + "\n" for k in "ABC"]
    (tmp_path / "a.csv").write_text("".join(lines), encoding="utf-8")
    raw = read_table(tmp_path / "a.csv")
    mine = raw.loc[raw["event_id"] != "B"].drop(columns=[c for c in raw if c.startswith("_")])
    result = clean_incidents(mine)
    assert sorted(result.events["raw_rows"]) == ["a.csv:2", "a.csv:4"]
    assert set(result.changes["source_file"].astype(str)) <= {"a.csv"}


@pytest.mark.parametrize("dropped", ["source_file", "source_row"])
def test_read_table_frame_without_an_origin_column_is_one_error(tmp_path, dropped):
    """Without one of the two columns that name a row's origin, one InputError names it."""
    raw = _read_one(tmp_path).drop(columns=[dropped])
    with pytest.raises(InputError, match=f"read_table's columns but no {dropped}"):
        clean_incidents(raw)


def test_multiindex_columns_are_one_clear_error():
    """Columns with two header levels: one InputError that says so and how to flatten them
    (before: 'missing required column(s)', listing tuples)."""
    row = dict(zip(HEADER.split(","), ROW.split(","), strict=True))
    frame = pd.DataFrame([row])
    frame.columns = pd.MultiIndex.from_product([["sheet"], frame.columns])
    with pytest.raises(InputError, match="several header levels"):
        clean_incidents(frame)
    frame.columns = frame.columns.get_level_values(-1)  # the way the message gives
    assert len(clean_incidents(frame).events) == 1


def test_excel_cell_longer_than_excel_holds_is_cut_with_a_note(tmp_path):
    """A notes cell over the 32,767 characters an Excel cell holds (Excel reports such a file
    as damaged and, when let repair it, cuts the text: openxlsx issue 145, XlsxWriter issue
    812): the cell is cut to fit, ends in a marker, and a warning names it; CSV and parquet
    keep the whole text. A character outside the Basic Multilingual Plane counts twice, as in
    Excel."""
    from analysis.export import EXCEL_CELL_CHARS

    long = "\U0001F600" * 20_000  # 20,000 characters, 40,000 UTF-16 units
    (tmp_path / "a.csv").write_text(f"{HEADER},notes\n{ROW},{long}\n{ROW.replace('A,', 'B,', 1)},"
                                    "short\n", encoding="utf-8")
    result = clean_incidents(read_table(tmp_path / "a.csv"))
    with pytest.warns(UserWarning, match=r"1 cell\(s\) longer than the 32,767 .* \(first: sheet "
                                         r"row \d, column notes\)"):
        write_outputs(result, tmp_path / "out", excel=True)
    sheet = openpyxl.load_workbook(tmp_path / "out" / "events.xlsx").active
    notes = [c.value for c in sheet[1]].index("notes") + 1
    cells = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=notes).value
             for r in (2, 3)}
    assert cells["B"] == "short"
    assert cells["A"].endswith("[... cut: Excel holds 32,767 characters]")
    units = len(cells["A"].encode("utf-16-le")) // 2
    assert EXCEL_CELL_CHARS - 1 <= units <= EXCEL_CELL_CHARS  # a smiley does not split
    assert cells["A"].startswith("\U0001F600" * 16_000)
    events = pd.read_csv(tmp_path / "out" / "events.csv", dtype=str, keep_default_na=False)
    assert long in events["notes"].tolist()


def test_too_many_events_for_excel_is_one_error_before_writing(tmp_path, monkeypatch,
                                                               capsys):
    """More events than an Excel sheet holds with --xlsx: one error, exit status 2 and no file
    written (openpyxl would write a sheet Excel cannot open, slowly). The limit is lowered
    here to the table's size to keep the test small."""
    from analysis import export
    from analysis.cli import main

    (tmp_path / "a.csv").write_text(f"{HEADER}\n{ROW}\n{ROW.replace('A,', 'B,', 1)}\n",
                                    encoding="utf-8")
    monkeypatch.setattr(export, "EXCEL_ROWS", 2)  # a header and one row
    status = main(["clean", str(tmp_path / "a.csv"), "--out", str(tmp_path / "out"), "--xlsx"])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error: --xlsx: the events table's 2 rows do not fit")
    assert list((tmp_path / "out").iterdir()) == []
    with pytest.raises(ValueError, match="2 rows do not fit in one Excel sheet"):
        write_outputs(clean_incidents(read_table(tmp_path / "a.csv")), tmp_path / "o2",
                      excel=True)
    assert not (tmp_path / "o2").exists()
    monkeypatch.setattr(export, "EXCEL_ROWS", 3)
    assert main(["clean", str(tmp_path / "a.csv"), "--out", str(tmp_path / "out"),
                 "--xlsx"]) == 0


def test_out_that_cannot_be_a_folder_is_a_one_line_error(tmp_path):
    """--out below a file: exit 2, one line, before any cleaning."""
    (tmp_path / "a.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    r = run("clean", "a.csv", "--out", "a.csv/out", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: --out a.csv/out: cannot be used as the output folder")
    assert "Traceback" not in r.stderr


def _without_root_override() -> list[str]:
    """A command prefix under which file modes bind: none for a user, and for root (as in
    this project's CI) setpriv dropping the capabilities that let root write anywhere."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
            "--inh-caps=-dac_override,-dac_read_search"]
    try:
        ok = subprocess.run([*drop, "true"], capture_output=True).returncode == 0
    except OSError:
        ok = False
    if not ok:
        pytest.skip("running as root without setpriv: a read-only folder is writable")
    return drop


@pytest.mark.skipif(sys.platform == "win32", reason="folder modes do not stop writes on Windows")
def test_read_only_out_is_a_one_line_error(tmp_path):
    """--out a folder the user cannot write to: exit 2, one line naming the file."""
    prefix = _without_root_override()
    (tmp_path / "a.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out").chmod(0o555)
    try:
        r = subprocess.run([*prefix, sys.executable, "-m", "analysis", "clean", "a.csv", "--out",
                            "out"], capture_output=True, text=True, cwd=tmp_path)
    finally:
        (tmp_path / "out").chmod(0o755)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: --out out: cannot write")
    assert "Permission denied" in r.stderr and "out/" in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="':' is not allowed in Windows file names")
def test_file_names_with_a_colon_in_two_folders_give_the_file_and_the_id(tmp_path):
    """Two a:b.csv in different folders, both with id A: each id is the file as given and the
    id, x/a:b.csv:A. Before, the id was cut at the stem's first ':' when the stem collided,
    giving x/a:b.csv:b:A."""
    for folder, day in (("x", "18"), ("y", "25")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a:b.csv").write_text(
            f"{HEADER}\n{ROW.replace('2023-10-18', f'2023-10-{day}')}\n", encoding="utf-8")
    raw = read_tables([tmp_path / "x" / "a:b.csv", tmp_path / "y" / "a:b.csv"])
    events = clean_incidents(raw).events
    files = sorted(raw["source_file"].astype(str).unique())
    assert sorted(events["event_id"]) == [f"{f}:A" for f in files]


def test_shared_ids_over_many_events_are_prefixed_by_each_files_stem(tmp_path):
    """Two files numbering their events alike: every id is prefixed with its file's stem (the
    stems are now taken once per file, not once per event; the result is the same)."""
    for name, day in (("coder_a.csv", 10), ("coder_b.csv", 20)):  # other days: not matched
        (tmp_path / name).write_text(HEADER + "\n" + "".join(
            ROW.replace("A,", f"EV-{k},", 1).replace("2023-10-18", f"2023-10-{day + k}") + "\n"
            for k in range(5)), encoding="utf-8")
    events = clean_incidents(read_tables([tmp_path / "coder_a.csv",
                                          tmp_path / "coder_b.csv"])).events
    assert sorted(events["event_id"]) == sorted(f"coder_{c}:EV-{k}" for c in "ab"
                                                for k in range(5))


def test_match_across_files_as_one_name_and_write_outputs_given_a_frame(tmp_path):
    """match_across_files="date_start" (a name, not a tuple) means that one column: before,
    its letters were taken as column names. write_outputs given a frame instead of a
    CleanResult: a TypeError that says what it takes (AttributeError before)."""
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    raw = read_tables([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert clean_incidents(raw, match_across_files="date_start").events["n_reports"].tolist() \
        == [2]
    with pytest.raises(ValueError, match="match_across_files: site_name not among"):
        clean_incidents(raw, match_across_files="site_name")
    with pytest.raises(TypeError, match="takes what clean_incidents returns"):
        write_outputs(raw, tmp_path / "out")
    assert not (tmp_path / "out").exists()
