"""Reading: every cell as text, origin stamped, structure accounted for, clear errors."""

from __future__ import annotations

import warnings

import openpyxl
import pytest

from analysis.errors import InputError
from analysis.read import SheetSkipped, read_table

HEADER = "event_id,date,country,location,actor,target,sources\n"
ROW = "A1,2023-10-18,Iraq,Ain al-Asad,unknown,US forces,AP 2023-10-19 https://a.example\n"


def write(tmp_path, text, name="t.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def test_cells_stay_text(tmp_path):
    """NA, None, null and numbers stay exactly as typed."""
    p = write(tmp_path, HEADER + "007,NA,None,null,0.50,-,x\n")
    df = read_table(p)
    assert df.loc[0, ["event_id", "date", "country", "location", "actor", "target"]].tolist() == [
        "007", "NA", "None", "null", "0.50", "-"]


def test_source_row_is_the_sheet_row(tmp_path):
    """source_row counts as a spreadsheet does (header = 1), embedded newlines included."""
    p = write(tmp_path, HEADER + ROW + 'A2,2023-10-19,Iraq,"Ain\nal-Asad",x,y,z\n' + ROW)
    assert read_table(p)["source_row"].tolist() == [2, 3, 4]


def test_bom_and_headers(tmp_path):
    """A UTF-8 BOM is dropped; headers match across case, spaces, underscores and synonyms."""
    p = write(tmp_path, "\ufeffEvent ID, DATE ,Country,Site,Actor,TARGET,Source\n" + ROW)
    df = read_table(p)
    assert df.loc[0, "event_id"] == "A1" and df.loc[0, "location"] == "Ain al-Asad"


def test_not_utf8_names_file_and_line(tmp_path):
    """Undeclared Windows-1252 bytes are an error naming the file and the first bad line."""
    p = write(tmp_path, HEADER + ROW + "A2,2023-10-19,Iraq,Caf\u00e9,x,y,z\n", encoding="cp1252")
    with pytest.raises(InputError, match=r"t.csv: not valid utf-8 at line 3"):
        read_table(p)


def test_declared_encoding(tmp_path):
    """A declared encoding is honoured; no replacement characters."""
    p = write(tmp_path, HEADER + "A2,2023-10-19,Iraq,Caf\u00e9,x,y,z\n", encoding="cp1252")
    assert read_table(p, encoding="cp1252").loc[0, "location"] == "Caf\u00e9"


def test_valid_utf8_is_read_without_decoding_the_whole_file(tmp_path, monkeypatch):
    """A well-formed UTF-8 table is checked and read by Arrow from its bytes: the whole-file
    decode (a Python string several times the file's size) is only for the careful path."""
    import analysis.read as read_module

    def no_decode(*args, **kwargs):
        raise AssertionError("the whole file was decoded")

    monkeypatch.setattr(read_module, "_decode", no_decode)
    body = 'A2,2023-10-19,\u0627\u0644\u0639\u0631\u0627\u0642,"Ain\nal-Asad",x,y,"z, w"\n'
    df = read_table(write(tmp_path, "\ufeff" + HEADER + ROW + body))
    assert df["country"].tolist() == ["Iraq", "\u0627\u0644\u0639\u0631\u0627\u0642"]
    assert df["location"].tolist() == ["Ain al-Asad", "Ain\nal-Asad"]
    assert df["source_row"].tolist() == [2, 3]


def test_bad_byte_far_into_the_file_names_its_line(tmp_path):
    """A bad byte after many good rows (past Arrow's first block) still names its line."""
    rows = ROW * 30_000  # about 2.4 MB
    p = write(tmp_path, (HEADER + rows).encode() + b"A9,2023-10-19,Iraq,Caf\xe9,x,y,z\n")
    with pytest.raises(InputError, match=r"t.csv: not valid utf-8 at line 30002"):
        read_table(p)


def test_utf16_with_bom(tmp_path):
    """A UTF-16 export with its BOM is read as such."""
    p = write(tmp_path, HEADER + ROW, encoding="utf-16")
    assert read_table(p).loc[0, "event_id"] == "A1"


def test_blank_header_and_ragged_rows_are_marked(tmp_path):
    """Blank rows, repeated headers and extra cells are kept and marked, never shifted."""
    p = write(tmp_path, HEADER + ROW + "\n,,,,,,\n" + HEADER + ROW.strip() + ",EXTRA\n")
    df = read_table(p)
    assert df["_read_issue"].tolist() == ["", "blank_row", "blank_row", "repeated_header",
                                          "extra_cells"]
    assert df.loc[4, "sources"].startswith("AP ") and "EXTRA" in df.loc[4, "_read_detail"]


@pytest.mark.parametrize(("text", "message"), [
    ("", "file is empty"),
    ("   \n", "file is empty"),
    ("date,country\n2023-10-18,Iraq\n", "missing required column(s): event_id, location, actor"),
    ("event_id,date,Date,country,location,actor,target,sources\n",
     "headers 'date' and 'Date' both name column 'date'"),
])
def test_unusable_files(tmp_path, text, message):
    """Unusable files raise one InputError that names the file and what is wrong."""
    with pytest.raises(InputError, match="t.csv: " + message.replace("(", r"\(").replace(")", r"\)")):
        read_table(write(tmp_path, text))


def test_header_only_file(tmp_path):
    """A header with no rows reads as an empty table."""
    assert read_table(write(tmp_path, HEADER)).empty


def test_unknown_file_type(tmp_path):
    """A file type the reader does not know is a clear error."""
    with pytest.raises(InputError, match="unknown file type '.json'"):
        read_table(write(tmp_path, "{}", name="t.json"))


def test_excel_sheets_hidden_and_merged(tmp_path):
    """Visible fitting sheets are read with their sheet; hidden ones are skipped with a note;
    merged cells are filled from their top-left cell and marked."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Oct"
    ws.append(HEADER.strip().split(","))
    ws.append(["A1", "2023-10-18", "Iraq", "Ain al-Asad", "x", "US forces", "s"])
    ws.append(["A2", "2023-10-19", "", "Harir", "x", "US forces", "s"])
    ws.merge_cells("C2:C3")
    hidden = book.create_sheet("Old")
    hidden.append(HEADER.strip().split(","))
    hidden.sheet_state = "hidden"
    book.create_sheet("Notes").append(["just notes"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = read_table(path)
    assert df["source_sheet"].tolist() == ["Oct", "Oct"]
    assert df["country"].tolist() == ["Iraq", "Iraq"]
    assert df["_merged_cells"].tolist() == ["", "country"]
    notes = [str(w.message) for w in caught if issubclass(w.category, SheetSkipped)]
    assert any("'Old'" in n and "hidden" in n for n in notes)
    assert any("Notes" in n for n in notes)


def test_excel_dates_and_numbers_as_text(tmp_path):
    """Excel dates become ISO text and whole numbers lose their '.0'."""
    import datetime as dt

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADER.strip().split(","))
    ws.append([12.0, dt.datetime(2023, 10, 18), "Iraq", "x", "x", "x", "s"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    df = read_table(path)
    assert df.loc[0, ["event_id", "date"]].tolist() == ["12", "2023-10-18 00:00:00"]


def _cycle_table(n: int, first: str = "event_id") -> str:
    """``n`` rows: unique ids, two countries, one site, a blank row and a repeated header."""
    cols = HEADER.strip().split(",")
    cols.remove(first)
    cols = [first, *cols]
    rows = []
    for i in range(n):
        cell = {"event_id": f"A{i}", "date": "2023-10-18", "country": ["Iraq", "Syria"][i % 2],
                "location": "Tower 22", "actor": "unknown", "target": "US forces",
                "sources": f"AP 2023-10-19 https://a.example/{i}"}
        rows.append(",".join(cell[c] for c in cols))
    rows[5] = "," * (len(cols) - 1)  # blank
    rows[9] = ",".join(c.upper() for c in cols)  # the header again
    return ",".join(cols) + "\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize("first", ["event_id", "country"])
def test_categories_read_the_same_texts(tmp_path, first):
    """``categories=True`` reads few-valued columns straight into categories: every cell the
    same text as a plain read, blank and repeated-header rows found the same way (also when
    the first column is a category column), and the header's own text is no category."""
    import pandas as pd

    p = write(tmp_path, _cycle_table(40, first))
    plain, cats = read_table(p), read_table(p, categories=True)
    kinds = {c: isinstance(cats[c].dtype, pd.CategoricalDtype) for c in cats}
    assert kinds["country"] and kinds["location"] and kinds["source_file"]
    assert not kinds["event_id"] and not kinds["sources"]  # one value per row: text
    assert "country" not in list(cats["country"].cat.categories)
    assert cats["_read_issue"].tolist() == plain["_read_issue"].tolist()
    assert cats.loc[[5, 9], "_read_issue"].tolist() == ["blank_row", "repeated_header"]
    pd.testing.assert_frame_equal(cats.astype(str), plain.astype(str))
    # a row holding the header's own text keeps it as a category
    text = _cycle_table(40, first).replace("\nA7,2023-10-18,Syria,", "\nA7,2023-10-18,country,")
    text = text.replace("\nSyria,A7,", "\ncountry,A7,")
    p = write(tmp_path, text, "again.csv")
    plain, cats = read_table(p), read_table(p, categories=True)
    assert "country" in list(cats["country"].cat.categories)
    assert cats.loc[7, "country"] == "country"
    pd.testing.assert_frame_equal(cats.astype(str), plain.astype(str))


def test_categories_judged_on_the_first_rows_hold_any_later_text(tmp_path, monkeypatch):
    """A column judged few-valued on the first rows keeps every later, distinct text."""
    import analysis.read as read_module

    monkeypatch.setattr(read_module, "SAMPLE_ROWS", 8)
    lines = [HEADER.strip()] + [f"A{i},2023-10-18,Iraq,Site {i if i > 10 else 0},x,y,z"
                                for i in range(30)]
    df = read_table(write(tmp_path, "\n".join(lines) + "\n"), categories=True)
    assert df["location"].dtype == "category"
    assert df["location"].tolist() == [f"Site {i if i > 10 else 0}" for i in range(30)]


def test_categories_of_several_files_are_united(tmp_path):
    """Two files whose category columns hold different texts: still categories, united."""
    from analysis.read import read_tables

    a = write(tmp_path, _cycle_table(20), "a.csv")
    b = write(tmp_path, _cycle_table(20).replace("Tower 22", "al-Tanf"), "b.csv")
    both = read_tables([a, b], categories=True)
    assert both["location"].dtype == "category" and both["source_file"].dtype == "category"
    plain = read_tables([a, b])
    assert both.astype(str).equals(plain.astype(str))
    assert both["source_file"].tolist() == ["a.csv"] * 20 + ["b.csv"] * 20


def test_categories_of_a_workbooks_sheets_are_united(tmp_path):
    """Two sheets of one workbook read with ``categories=True``: ``source_sheet`` stays a
    category column holding both sheets' names, the cells the same texts as a plain read."""
    import pandas as pd

    book = openpyxl.Workbook()
    for n, title in enumerate(["Oct", "Nov"]):
        ws = book.active if n == 0 else book.create_sheet()
        ws.title = title
        ws.append(HEADER.strip().split(","))
        ws.append([f"A{n}", "2023-10-18", "Iraq", "Tower 22", "x", "US forces", "s"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    cats, plain = read_table(path, categories=True), read_table(path)
    assert isinstance(cats["source_sheet"].dtype, pd.CategoricalDtype)
    assert cats["source_sheet"].tolist() == ["Oct", "Nov"]
    pd.testing.assert_frame_equal(cats.astype(str), plain.astype(str))
