"""Read hand-coded incident tables (CSV or XLSX) into frames of text, stamped with their origin.

Every cell is kept as the text the coder typed: no missing-value tokens are guessed (``NA``,
``None`` and ``null`` stay text), nothing is inferred from a cell's type, and a row with an extra
cell is kept whole and marked instead of shifting its columns. Each row carries ``source_file``,
``source_sheet`` (blank for CSV) and ``source_row``, the row number a person sees in the
spreadsheet (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .clean._log import as_categorical, from_distinct
from .clean.text import normalise_text
from .errors import InputError
from .reference import load_columns

__all__ = ["read_table", "read_tables", "match_headers", "SheetSkipped", "InputRepeated",
           "STRUCTURE_COLUMNS"]

#: Columns the reader adds besides the codebook's: where each row came from and what was odd.
STRUCTURE_COLUMNS = ["source_file", "source_sheet", "source_row", "_read_issue", "_read_detail",
                     "_merged_cells", "_formula_cells"]


#: Names an extra header may not take (it becomes ``extra_<name>``): the reader's own columns
#: and the quarantine table's reason and message; so does any name starting with ``_``.
_RESERVED = {*STRUCTURE_COLUMNS, "reason", "message"}


class SheetSkipped(UserWarning):
    """A workbook sheet that was not read (hidden, a chart, or its header does not fit the
    codebook)."""


class InputRepeated(UserWarning):
    """An input file given more than once: it is read once, so no row is counted twice."""


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", normalise_text(text).casefold())


def _synonym_table(columns: pd.DataFrame) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, synonyms in zip(columns["column"], columns["synonyms"], strict=True):
        for name in [canonical, *filter(None, synonyms.split("|"))]:
            table[_header_key(name)] = canonical
    return table


def match_headers(headers: list[str], *, file: str, columns: pd.DataFrame | None = None,
                  ) -> list[str]:
    """Map a sheet's headers to codebook names; extra headers keep their own (normalised) text.

    Headers match regardless of case, spaces, hyphens and underscores, and through the synonyms
    in ``columns`` (default: the package's ``columns.csv``). Raises :class:`InputError` listing
    what is missing and what was found when a required column is absent, or when two headers
    claim the same column.

    Examples
    --------
    >>> match_headers(["Event ID", "DATE ", "country", "Site", "actor", "target", "Source"],
    ...               file="a.csv")
    ['event_id', 'date', 'country', 'location', 'actor', 'target', 'sources']
    >>> match_headers(["date", "country"], file="a.csv")
    Traceback (most recent call last):
    ...
    analysis.errors.InputError: a.csv: missing required column(s): event_id, location, actor, \
target, sources (found: date, country)
    """
    columns = load_columns() if columns is None else columns
    table = _synonym_table(columns)
    names: list[str] = []
    claimed: dict[str, str] = {}
    for i, header in enumerate(headers):
        text = normalise_text(header or "")
        canonical = table.get(_header_key(text))
        if canonical is None:
            name = text or f"column_{i + 1}"
            reserved = name in table.values() or name in _RESERVED or name.startswith("_")
            names.append(f"extra_{name}" if reserved else name)  # never over the library's own
            continue
        if canonical in claimed:
            raise InputError(
                f"headers {claimed[canonical]!r} and {text!r} both name column {canonical!r}; "
                "rename or delete one", file=file)
        claimed[canonical] = text
        names.append(canonical)
    required = columns.loc[columns["required"] == "yes", "column"].tolist()
    missing = [c for c in required if c not in claimed]
    if missing:
        found = ", ".join(normalise_text(h or "") or "(blank)" for h in headers) or "nothing"
        raise InputError(f"missing required column(s): {', '.join(missing)} (found: {found})",
                         file=file)
    taken = set(names)
    seen: dict[str, int] = {}
    for i, name in enumerate(names):  # duplicate extra headers get a suffix, never overwrite
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            n = seen[name]
            while f"{name}_{n}" in taken:  # "x, x, x_2": the second x becomes x_3
                n += 1
            names[i] = f"{name}_{n}"
            taken.add(names[i])
    return names


# ---------------------------------------------------------------------------------------------
# CSV


def _decode(data: bytes, file: str, encoding: str | None) -> str:
    """Decode bytes strictly; a UTF-16 BOM is honoured, anything else must be UTF-8 unless declared."""
    if encoding is None:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start:exc.start + 1].hex()
        hint = ("save it as UTF-8, or declare its encoding (--encoding cp1252, cp1256, ...)"
                if encoding == "utf-8-sig" else f"it is not valid {encoding}")
        raise InputError(f"not valid {encoding.replace('-sig', '')} at line {line} "
                         f"(byte 0x{bad}); {hint}", file=file) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", file=file) from None
    except UnicodeError as exc:  # a codec such as punycode fails with its own message
        raise InputError(f"cannot be read as {encoding}: {exc}", file=file) from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a codec such as utf-7 can decode to lone surrogates
        line = text.count("\n", 0, exc.start) + 1
        raise InputError(f"line {line} decodes, as {encoding}, to text that is not valid "
                         "Unicode (a lone surrogate)", file=file) from None
    return text[1:] if text.startswith("\ufeff") else text


def _csv_records(text: str, file: str) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    """Header, body cells and, per body row, the text of any cells beyond the header's width."""
    try:
        body = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False, engine="c")
        extra = np.full(max(len(body) - 1, 0), "", dtype=object)
    except pd.errors.ParserError:
        body, extra = _csv_records_slow(text)
    except pd.errors.EmptyDataError:
        raise InputError("file is empty: no header row", file=file) from None
    if body.empty:
        raise InputError("file is empty: no header row", file=file)
    header = [str(h) for h in body.iloc[0].tolist()]
    rows = body.iloc[1:].reset_index(drop=True)
    rows.columns = range(rows.shape[1])
    return header, rows, extra


def _csv_records_slow(text: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The csv module's reading, used when rows are ragged: extra cells are kept, not shifted."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    width = len(records[0]) if records else 0
    extra = np.array(
        ["\t".join(r[width:]) if len(r) > width else "" for r in records[1:]], dtype=object)
    cells = [r[:width] + [""] * (width - len(r)) for r in records]
    return pd.DataFrame(cells, dtype=object), extra


_Part = tuple[str, list[str], pd.DataFrame, np.ndarray, np.ndarray]


def _first_record(path: Path) -> list[str] | None:
    """The header row, reading and decoding only as many bytes as it takes (``None`` for an
    empty file, or when those bytes are not UTF-8: the careful path then gives the message)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return next(csv.reader(fh), None)
    except UnicodeDecodeError:
        return None


#: Rows looked at to judge whether a column has few enough distinct values to be held as a
#: ``category`` column (see :func:`few_distinct`).
SAMPLE_ROWS = 5000


def few_distinct(n_distinct: int, n_rows: int) -> bool:
    """Whether a column whose first ``n_rows`` rows hold ``n_distinct`` distinct texts is worth
    holding as a ``category`` column: at most one distinct text per four rows."""
    return n_distinct * 4 <= n_rows


def _csv_records_arrow(path: Path, categories: bool = False
                       ) -> tuple[list[str], pd.DataFrame, np.ndarray] | None:
    """pyarrow's multithreaded reader, every cell as text (embedded newlines allowed), reading
    the file itself a block at a time: Arrow checks the UTF-8, so the file is never held whole,
    as bytes or as a Python string. With ``categories``, a column with few distinct values in
    its first rows is read straight into a ``category`` column (Arrow builds the dictionary as
    it reads; no text column is made and then factorized). ``None`` when the careful path
    should read it instead: a blank or undecodable header, bytes that are not UTF-8, or rows
    that are not a rectangle (ragged rows)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first = _first_record(path)  # reads the header only
    if not first or not any(cell.strip() for cell in first):
        return None
    names = [f"f{i}" for i in range(len(first))]
    options = {
        "read_options": pacsv.ReadOptions(column_names=names),
        "parse_options": pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        "convert_options": pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False,
            quoted_strings_can_be_null=False, check_utf8=True)}
    try:
        if categories:
            few = _few_distinct_columns(path, names, options)
            options["convert_options"].column_types = {
                n: pa.dictionary(pa.int32(), pa.large_string()) if n in few else
                pa.large_string() for n in names}
        table = pacsv.read_csv(str(path), **options)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    frame = table.to_pandas()
    del table
    header = [str(h) for h in frame.iloc[0].tolist()]
    if header != first:  # the two parsers disagree on the header: use the careful path
        return None
    rows = frame.iloc[1:].reset_index(drop=True)
    rows.columns = range(rows.shape[1])
    for col in rows.columns:
        if isinstance(rows[col].dtype, pd.CategoricalDtype):
            rows[col] = _without_header(rows[col].array, frame.iloc[:, col].array.codes[0])
    return header, rows, np.full(len(rows), "", dtype=object)


def _without_header(values: pd.Categorical, header: int) -> pd.Categorical:
    """``values`` without the category ``header`` (the header cell's) when no row holds it:
    Arrow's dictionary holds only texts of the column, so it is the one category that can be
    unused. Worked on the codes (pandas' remove_unused_categories sorts them: 0.66 s for the
    ten category columns of a million rows)."""
    codes = values.codes
    if (codes == header).any():
        return values
    return from_distinct(codes - (codes > header), values.categories.delete(header))


def _few_distinct_columns(path: Path, names: list[str], options: dict) -> set[str]:
    """The columns with few distinct values (:func:`few_distinct`) in the file's first
    ``SAMPLE_ROWS`` rows after the header, read a block at a time."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    batches, n = [], 0
    with pacsv.open_csv(str(path), **options) as reader:
        for batch in reader:
            batches.append(batch)
            n += batch.num_rows
            if n > SAMPLE_ROWS:
                break
    head = pa.Table.from_batches(batches, schema=reader.schema).slice(1, SAMPLE_ROWS)
    return {name for name in names
            if few_distinct(len(head[name].unique()), head.num_rows)}


def _read_csv(path: Path, file: str, encoding: str | None, categories: bool = False
              ) -> list[_Part]:
    with open(path, "rb") as fh:
        start = fh.read(2)
    records = None
    if encoding is None and start not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        records = _csv_records_arrow(path, categories)
    if records is None:  # the careful path: decode it all, name the bad byte, read ragged rows
        data = path.read_bytes()
        text = _decode(data, file, encoding)
        del data
        if not text.strip():
            raise InputError("file is empty: no header row", file=file)
        records = _csv_records(text, file)
    header, rows, extra = records
    source_row = np.arange(2, len(rows) + 2, dtype="int64")
    return [("", header, rows, extra, source_row)]


# ---------------------------------------------------------------------------------------------
# Excel


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, file: str, sheets: list[str] | None, columns: pd.DataFrame):
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken workbook
        raise InputError(f"not a readable .xlsx workbook ({type(exc).__name__})", file=file) from None
    wanted = sheets if sheets is not None else book.sheetnames
    out = []
    for name in wanted:
        if name not in book.sheetnames:
            raise InputError(f"no sheet named {name!r} (sheets: {', '.join(book.sheetnames)})",
                             file=file)
        ws = book[name]
        if not hasattr(ws, "iter_rows"):  # a chart sheet holds no cells
            if sheets is None:
                warnings.warn(f"{file}: sheet {name!r} skipped: it is a chart sheet",
                              SheetSkipped, stacklevel=3)
                continue
            raise InputError(f"sheet {name!r} is a chart sheet, not a table", file=file)
        if sheets is None and ws.sheet_state != "visible":
            warnings.warn(f"{file}: sheet {name!r} skipped: it is {ws.sheet_state}; name it "
                          "with --sheet to read it", SheetSkipped, stacklevel=3)
            continue
        grid = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        formula_notes = _formula_cells(formulas[name], grid)
        if not grid or not any(c.strip() for c in grid[0]):
            if sheets is None:
                warnings.warn(f"{file}: sheet {name!r} skipped: it has no header row",
                              SheetSkipped, stacklevel=3)
                continue
            raise InputError("sheet has no header row", file=f"{file}[{name}]")
        width = len(grid[0])
        if sheets is None:
            try:
                match_headers(grid[0], file=f"{file}[{name}]", columns=columns)
            except InputError as exc:
                warnings.warn(f"{file}: sheet {name!r} skipped: {exc.detail}", SheetSkipped,
                              stacklevel=3)
                continue
        merged = np.full(len(grid), "", dtype=object)
        for rng in ws.merged_cells.ranges:  # fill merged areas from their top-left cell, visibly
            top = grid[rng.min_row - 1][rng.min_col - 1]
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col) and r > 1:
                        grid[r - 1][c - 1] = top
                        col = normalise_text(grid[0][c - 1]) or f"column_{c}"
                        merged[r - 1] = f"{merged[r - 1]};{col}" if merged[r - 1] else col
        rows = pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in grid[1:]], dtype=object)
        extra = np.full(len(rows), "", dtype=object)
        out.append((name, grid[0], rows, extra, np.arange(2, len(rows) + 2, dtype="int64"),
                    merged[1:], formula_notes[1:]))
    if not out:
        raise InputError("no sheet fits the codebook (see the skipped-sheet messages)", file=file)
    return out


def _formula_cells(ws, grid: list[list[str]]) -> np.ndarray:
    """Per row, the formula cells: ``column=formula`` where the workbook stored the formula's
    value (the value is read), ``column!=formula`` where it did not (the formula's text is read,
    so nothing turns silently blank)."""
    notes = np.full(len(grid), "", dtype=object)
    if not grid:
        return notes
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type != "f" or cell.row < 2:
                continue
            r, c = cell.row - 1, cell.column - 1
            if r >= len(grid) or c >= len(grid[r]):
                continue
            formula = str(cell.value)
            head = normalise_text(grid[0][c]) if c < len(grid[0]) else f"column_{c + 1}"
            if grid[r][c] == "":
                grid[r][c] = formula
                item = f"{head}!={formula}"
            else:
                item = f"{head}={formula}"
            notes[r] = f"{notes[r]}\t{item}" if notes[r] else item
    return notes


# ---------------------------------------------------------------------------------------------


def read_table(path: str | Path, *, sheets: list[str] | None = None, encoding: str | None = None,
               columns: pd.DataFrame | None = None, name: str | None = None,
               categories: bool = False) -> pd.DataFrame:
    """Read one CSV or XLSX incident table into a frame of text, one row per sheet row.

    Parameters
    ----------
    path
        A ``.csv`` or ``.xlsx`` file.
    sheets
        Excel only: the sheets to read. By default every visible sheet whose header fits the
        codebook; each skipped sheet is reported with a :class:`SheetSkipped` warning.
    encoding
        CSV only: the file's encoding when it is not UTF-8 (a UTF-16 file with a BOM is read as
        such). Undeclared bytes that are not UTF-8 raise :class:`InputError` naming the line.
    columns
        The codebook's columns and synonyms (default: the package's ``columns.csv``).
    name
        What ``source_file`` says (default: the file's name).
    categories
        Give pandas ``category`` columns where a column holds few texts, as
        ``python -m analysis clean`` does: ``source_file``, ``source_sheet`` and absent
        optional columns, and (CSV) a column with few distinct values in its first rows, read
        straight into categories. The same texts in less memory, and
        :func:`analysis.clean_incidents` gets them already factorized. Leave it off to edit
        cells afterwards (a ``category`` column takes only texts it already holds).

    Returns
    -------
    DataFrame
        ``source_file``, ``source_sheet``, ``source_row``, every codebook column (optional ones
        absent from the file are blank), any extra columns under their own header, and
        ``_read_issue`` (``blank_row``, ``repeated_header``, ``extra_cells`` or blank),
        ``_read_detail``, ``_merged_cells`` (columns filled from a merged Excel cell) and
        ``_formula_cells`` (Excel formula cells: ``column=formula`` where the stored value was
        read, ``column!=formula`` where there was none and the formula's text was read).
        Blank and repeated-header rows are kept, so that every sheet row is accounted for.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("ID,Date,Country,Location,Actor,Target,Sources\\n"
    ...                  "A1,2023-10-18,Iraq,Ain al-Asad,NA,US forces,Reuters\\n,,,,,,\\n")
    >>> df = read_table(p)
    >>> df[["source_row", "event_id", "actor", "_read_issue"]].to_dict("records")
    [{'source_row': 2, 'event_id': 'A1', 'actor': 'NA', '_read_issue': ''}, \
{'source_row': 3, 'event_id': '', 'actor': '', '_read_issue': 'blank_row'}]
    """
    path = Path(path)
    file = name or path.name
    columns = load_columns() if columns is None else columns
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if not path.is_file():
        raise InputError("not a file", file=str(path))
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        parts = _read_xlsx(path, file, sheets, columns)
    elif suffix in {".csv", ".txt", ".tsv"} or suffix == "":
        parts = [(*p, np.full(len(p[2]), "", dtype=object), np.full(len(p[2]), "", dtype=object))
                 for p in _read_csv(path, file, encoding, categories)]
    elif suffix == ".xls":
        raise InputError("old .xls workbooks are not read; save it as .xlsx or .csv", file=file)
    else:
        raise InputError(f"unknown file type {suffix!r}; give a .csv or .xlsx file", file=file)
    frames = [_frame(file, sheet, header, rows, extra, source_row, merged, formula, columns,
                     categories)
              for sheet, header, rows, extra, source_row, merged, formula in parts]
    return _concat(frames) if len(frames) > 1 else frames[0]


def _frame(file: str, sheet: str, header: list[str], rows: pd.DataFrame, extra: np.ndarray,
           source_row: np.ndarray, merged: np.ndarray, formula: np.ndarray,
           columns: pd.DataFrame, categories: bool = False) -> pd.DataFrame:
    where = f"{file}[{sheet}]" if sheet else file
    names = match_headers(header, file=where, columns=columns)
    rows = rows.set_axis(names[: rows.shape[1]], axis=1)

    def same(text: str) -> pd.Series:  # one text on every row
        if categories:
            return pd.Series(as_categorical(text, len(rows)), index=rows.index)
        return pd.Series(text, index=rows.index, dtype=object)

    data: dict[str, object] = {
        "source_file": same(file),
        "source_sheet": same(sheet),
        "source_row": pd.Series(source_row, index=rows.index),
    }
    for col in columns["column"]:  # cells keep the reader's text dtype: no copies into objects
        data[col] = rows[col] if col in rows else same("")
    for col in rows.columns:
        if col not in data:
            data[col] = rows[col]
    frame = pd.DataFrame(data)
    issue, detail = _structure(frame, names, header, extra)
    return frame.assign(_read_issue=_mostly_blank(issue), _read_detail=_mostly_blank(detail),
                        _merged_cells=_mostly_blank(merged),
                        _formula_cells=_mostly_blank(formula))


def _mostly_blank(values: np.ndarray) -> pd.Categorical:
    """Texts that are nearly all blank as a ``Categorical``, only the others factorized (not a
    million text cells hashed one by one); ``""`` is the first category."""
    filled = np.flatnonzero(values != "")
    if not len(filled):
        return as_categorical("", len(values))
    found, uniques = pd.factorize(values[filled])  # a missing value (-1) joins ""
    codes = np.zeros(len(values), dtype=np.int64)
    codes[filled] = found + 1
    return from_distinct(codes, pd.Index(["", *uniques], dtype="str"))


def _structure(frame: pd.DataFrame, names: list[str], header: list[str], extra: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Mark blank rows, repeated header rows and rows with cells beyond the header.

    Vectorised (pyarrow string kernels), column by column, and each column only on the rows
    still in question (after the first column almost none are).
    """
    n = len(frame)
    cand = np.arange(n)  # rows that may still be blank or a repeated header
    blank_c = np.ones(n, dtype=bool)
    header_c = np.ones(n, dtype=bool)
    for name, head in zip(names, header, strict=False):
        if not len(cand):
            break
        cells = frame[name] if len(cand) == n else frame[name].iloc[cand]
        codes = None
        if isinstance(cells.dtype, pd.CategoricalDtype):  # look at each category once
            codes = cells.cat.codes.to_numpy()  # a missing cell (-1) takes the "" added last
            cells = pd.Series([*cells.cat.categories, ""], dtype="str")
        cells = cells.astype("str")
        stripped = cells.str.strip()
        empty = (stripped == "").to_numpy(dtype=bool)
        key = stripped.str.lower()
        for char in (" ", "_", "-", "\t"):  # literal replacements: far faster than a regex
            key = key.str.replace(char, "", regex=False)
        same = (key == _header_key(head)).to_numpy(dtype=bool)
        if codes is not None:
            empty, same = empty[codes], same[codes]
        blank_c &= empty
        header_c &= same | empty
        keep = blank_c | header_c  # only these rows are looked at in the next column
        cand, blank_c, header_c = cand[keep], blank_c[keep], header_c[keep]
    blank = np.zeros(n, dtype=bool)
    header_like = np.zeros(n, dtype=bool)
    blank[cand[blank_c]] = True
    header_like[cand[header_c]] = True
    header_like &= ~blank
    has_extra = extra != ""
    blank &= ~has_extra
    issue = np.full(n, "", dtype=object)
    detail = np.full(n, "", dtype=object)
    issue[blank] = "blank_row"
    detail[blank] = "every cell is empty"
    issue[header_like] = "repeated_header"
    detail[header_like] = "the row repeats the header"
    issue[has_extra] = "extra_cells"
    detail[has_extra] = np.array(
        [f"{len(e.split(chr(9)))} cell(s) beyond the header's {len(header)} columns: {e!r}"
         for e in extra[has_extra]], dtype=object)
    return issue, detail


def read_tables(paths: list[str | Path], *, sheets: list[str] | None = None,
                encoding: str | None = None, columns: pd.DataFrame | None = None,
                categories: bool = False) -> pd.DataFrame:
    """Read several tables into one frame (see :func:`read_table`).

    ``source_file`` is each file's name, or its path as given where two inputs share a name.
    With ``categories``, a column read as categories from every file stays so (its categories
    united); one read as text from any of them is text.
    """
    kept, seen = [], set()
    for p in paths:  # one file twice would count each of its rows twice
        if Path(p).resolve() in seen:
            warnings.warn(f"{p}: given more than once; read once", InputRepeated, stacklevel=2)
        else:
            kept.append(p)
            seen.add(Path(p).resolve())
    paths = kept
    if sheets is not None:
        sheets = list(dict.fromkeys(sheets))
    names = [Path(p).name for p in paths]
    frames = [read_table(p, sheets=sheets, encoding=encoding, columns=columns,
                         name=n if names.count(n) == 1 else str(p), categories=categories)
              for p, n in zip(paths, names, strict=True)]
    if len(frames) < 2:
        return frames[0] if frames else pd.DataFrame()
    return _concat(frames)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames (files, or a workbook's sheets) one under another; a column that is a
    ``category`` column in every frame stays one, its categories united (pandas would make it
    text when they differ)."""
    from pandas.api.types import union_categoricals

    order = pd.concat([f.iloc[:0] for f in frames]).columns
    both = [c for c in order if all(c in f and isinstance(f[c].dtype, pd.CategoricalDtype)
                                    for f in frames)]
    united = {c: union_categoricals([f[c].array for f in frames]) for c in both}
    rest = pd.concat([f.drop(columns=both) for f in frames], ignore_index=True)
    return rest.assign(**united)[order]
