"""Write the clean outputs: CSV safe to open in a spreadsheet, parquet with the true values.

Every CSV the project writes escapes a text cell that begins with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return by prefixing a single quote (OWASP's guidance on CSV injection), so
that a spreadsheet shows it as text instead of running it as a formula. Parquet files keep the
values unchanged. Excel files are written with every text cell stored as text, never as a
formula. Dates are written as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._arrow import as_str, str_series, to_arrow_text
from .read import few_distinct

__all__ = ["escape_formulas", "excel_fits", "write_csv", "write_excel", "write_outputs"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s) or isinstance(
        s.dtype, pd.CategoricalDtype)


def _escape(text: pd.Series) -> pd.Series:
    """Prefix ``'`` where a text value starts with a trigger character (see :func:`_arrow_text`)."""
    return str_series(_arrow_text(text), text.index)


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``'`` to text cells a spreadsheet would read as a formula.

    Examples
    --------
    >>> escape_formulas(pd.DataFrame({"a": ["=1+1", "ok", "-3 killed"]}))["a"].tolist()
    ["'=1+1", 'ok', "'-3 killed"]
    """
    return frame.assign(**{c: _escape(frame[c]) for c in frame.columns if _is_text(frame[c])})


def _arrow_text(s: pd.Series, categories=None):
    """A text column as an Arrow string array, a value that starts with one of ``_TRIGGERS``
    prefixed with ``'`` (all in Arrow). A ``category`` column's categories are escaped once
    (or given, escaped, as ``categories``) and taken by its codes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(s.dtype, pd.CategoricalDtype):
        if categories is None:
            categories = _arrow_text(pd.Series(s.cat.categories.astype(str)))
        return _take_codes(categories, s)
    values = to_arrow_text(s)
    risky = _starts_with_trigger(values)
    if not risky.any():
        return values
    quote, sep = pa.scalar("'", values.type), pa.scalar("", values.type)
    return pc.if_else(pa.array(risky), pc.binary_join_element_wise(quote, values, sep), values)


def _take_codes(categories, s: pd.Series):
    """A ``category`` column as the Arrow array of its ``categories`` (an Arrow array) taken by
    its codes; a missing value is null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    codes = s.array.codes
    missing = codes < 0  # a mask only where needed: a null-free column writes faster
    return pc.take(categories, pa.array(codes, mask=missing if missing.any() else None))


_TRIGGER_BYTES = np.frombuffer("".join(_TRIGGERS).encode(), dtype=np.uint8)


def _starts_with_trigger(values) -> np.ndarray:
    """Per value of an Arrow large_string array: does it start with one of ``_TRIGGERS``? Read
    straight from the array's offsets and bytes (every trigger is one ASCII byte)."""
    n = len(values)
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset:values.offset + n + 1]
    data = values.buffers()[2]
    if n == 0 or data is None or data.size == 0:
        return np.zeros(n, dtype=bool)
    data = np.frombuffer(data, dtype=np.uint8)
    starts = offsets[:-1]
    nonempty = offsets[1:] > starts
    first = data[np.minimum(starts, len(data) - 1)]
    return nonempty & np.isin(first, _TRIGGER_BYTES)


def _whole_days(s: pd.Series) -> bool:
    """Does a date column hold whole days only (written as YYYY-MM-DD)?"""
    values = s.to_numpy(dtype="datetime64[s]")
    known = ~np.isnat(values)
    return bool((values[known].astype("datetime64[D]") == values[known]).all())


def _arrow_table(frame: pd.DataFrame, whole_days: dict | None = None,
                 categories: dict | None = None):
    """The frame as a pyarrow table for CSV: text escaped, dates as dates, nullable ints kept
    (``whole_days``: per date column, whether to write days; worked out here when not given;
    ``categories``: per ``category`` column, its categories already escaped)."""
    import pyarrow as pa

    arrays, names = [], []
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            missing = s.isna().to_numpy()
            values = s.to_numpy(dtype="datetime64[s]")
            days = values.astype("datetime64[D]")
            if whole_days[col] if whole_days and col in whole_days else _whole_days(s):
                arrays.append(pa.array(days, type=pa.date32(), mask=missing))
            else:
                arrays.append(pa.array(s.dt.strftime("%Y-%m-%d %H:%M:%S"), from_pandas=True))
        elif _is_text(s):
            arrays.append(_arrow_text(s, (categories or {}).get(col)))
        else:
            arrays.append(pa.array(s, from_pandas=True))
        names.append(str(col))
    return pa.table(arrays, names=names)


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as UTF-8 CSV: formula-like text escaped, every text value quoted (so a
    cell holding a comma, a quote, CR or LF never breaks a row), ISO dates, empty cells for
    missing values. pyarrow's writer does the work, so millions of rows take seconds."""
    import pyarrow.csv as pacsv

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    days = {c: _whole_days(frame[c]) for c in frame.columns
            if pd.api.types.is_datetime64_any_dtype(frame[c])}
    cats = {c: _arrow_text(pd.Series(frame[c].cat.categories.astype(str)))
            for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    first = _arrow_table(frame.iloc[:_BATCH], days, cats)
    with pacsv.CSVWriter(path, first.schema,
                         write_options=pacsv.WriteOptions(quoting_style="needed")) as writer:
        writer.write_table(first)
        for start in range(_BATCH, len(frame), _BATCH):  # a slice at a time: little memory
            writer.write_table(_arrow_table(frame.iloc[start:start + _BATCH], days, cats)
                               .cast(first.schema))
    return path


#: Rows converted to Arrow and written at a time: small enough that the allocators reuse the
#: memory of one slice for the next (fewer fresh pages), and a parquet row group of the same
#: size (in a million-row write, a 200,000-row group added 247 MB at its peak, 65,536 rows
#: 104 MB).
_BATCH = 65_536
_ROW_GROUP = _BATCH


def write_parquet_text(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as parquet, a ``category`` column as the text it stands for (so the file
    reads back the same whether or not the frame kept categories), a slice at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cats = {c: to_arrow_text(pd.Series(frame[c].cat.categories, dtype=object))
            for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}

    def first_table(part: pd.DataFrame) -> pa.Table:  # pandas sets the types and metadata
        text = {c: as_str(part[c]) for c in cats}
        return pa.Table.from_pandas(part.assign(**text) if text else part, preserve_index=False)

    def table(part: pd.DataFrame, schema: pa.Schema) -> pa.Table:
        # the same conversion, column by column into the first slice's schema: each category
        # column's text taken from categories converted once (a million rows: 0.6-1.0 s
        # instead of 3.0-3.5 s going through pandas for every slice)
        arrays = [_take_codes(cats[name], part[name]).cast(field.type) if name in cats else
                  pa.array(part[name], type=field.type, from_pandas=True)
                  for field, name in zip(schema, part.columns, strict=True)]
        return pa.Table.from_arrays(arrays, schema=schema)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    head = frame.iloc[:_ROW_GROUP]
    first = first_table(head)
    # a text column of mostly distinct values in its first rows (ids, source lists, notes) is
    # written without a dictionary: parquet would build one, find it too big and start over
    # without it (a million events: 1.8-1.9 s of CPU instead of 2.1-2.2 s, three runs each,
    # and a file 5% smaller)
    distinct = [c for c in frame.columns if c not in cats and _is_text(frame[c])
                and not few_distinct(head[c].nunique(), len(head))]
    dictionary = [str(c) for c in frame.columns if c not in distinct]
    with pq.ParquetWriter(path, first.schema, use_dictionary=dictionary) as writer:
        writer.write_table(first)
        for start in range(_ROW_GROUP, len(frame), _ROW_GROUP):
            writer.write_table(table(frame.iloc[start:start + _ROW_GROUP], first.schema))
    return path


#: Excel's limits: rows per sheet, the header row included, and characters per cell, counted in
#: UTF-16 units as Excel stores them. Microsoft, "Excel specifications and limits",
#: https://support.microsoft.com/en-us/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3
EXCEL_ROWS = 1_048_576
EXCEL_CELL_CHARS = 32_767
_CUT = " [... cut: Excel holds 32,767 characters]"


def _fit_cell(text: str) -> str:
    """``text`` cut to Excel's cell limit, ending in a marker that says so (a character outside
    the Basic Multilingual Plane counts twice, as in Excel)."""
    room = 2 * (EXCEL_CELL_CHARS - len(_CUT))
    return text.encode("utf-16-le")[:room].decode("utf-16-le", errors="ignore") + _CUT


def excel_fits(frame: pd.DataFrame) -> None:
    """Raise ValueError when ``frame`` has more rows than an Excel sheet holds."""
    if len(frame) > EXCEL_ROWS - 1:
        raise ValueError(f"{len(frame):,} rows do not fit in one Excel sheet (at most "
                         f"{EXCEL_ROWS - 1:,} below the header)")


def write_excel(frame: pd.DataFrame, path: str | Path, sheet: str = "events") -> Path:
    """Write ``frame`` as an .xlsx sheet; text cells are stored as text (a cell ``=1+1`` shows
    ``=1+1`` and is never evaluated), dates as ISO text, missing values as empty cells. A
    control character a worksheet cannot hold is written as Excel writes it, ``_x0001_``.

    A text longer than the 32,767 characters an Excel cell holds is cut to fit, ending in
    ``[... cut: Excel holds 32,767 characters]``, with a warning naming the first such cell (the
    frame, and CSV or parquet files written from it, keep the whole text). A frame with more
    rows than a sheet holds raises ValueError before anything is written.

    Rows are streamed to the file (openpyxl's write-only mode), so memory does not grow with
    the table, but openpyxl writes about a thousand 43-column rows a second on the benchmark
    machine (30,000 events in 29 s): for large tables the CSV and parquet files are the ones to
    use.
    """
    import warnings

    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as illegal

    excel_fits(frame)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)  # rows go to disk as they come: constant memory
    ws = book.create_sheet(sheet)
    ws.append([str(c) for c in frame.columns])
    cut: list[tuple[int, str]] = []
    for r, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        cells = []
        for c, value in enumerate(row, start=1):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                value = None
            elif isinstance(value, pd.Timestamp):
                value = value.strftime("%Y-%m-%d")
            elif isinstance(value, np.integer | np.floating):
                value = value.item()
            elif isinstance(value, str):
                if illegal.search(value):
                    value = illegal.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
                if len(value) > EXCEL_CELL_CHARS // 2 and len(
                        value.encode("utf-16-le")) > 2 * EXCEL_CELL_CHARS:
                    value = _fit_cell(value)
                    cut.append((r, str(frame.columns[c - 1])))
                if value.startswith("=") or value in ERROR_CODES:  # else a formula or
                    value = WriteOnlyCell(ws, value=value)  # an error value, not text
                    value.data_type = "s"
            cells.append(value)
        ws.append(cells)
    book.save(path)
    if cut:
        warnings.warn(f"{path.name}: {len(cut)} cell(s) longer than the {EXCEL_CELL_CHARS:,} "
                      f"characters an Excel cell holds were cut short (first: sheet row "
                      f"{cut[0][0]}, column {cut[0][1]}); the frame keeps the whole text, as do CSV "
                      "and parquet files written from it", UserWarning, stacklevel=2)
    return path


def write_outputs(result, out_dir: str | Path, *, excel: bool = False) -> dict[str, Path]:
    """Write ``events.csv``, ``events.parquet``, ``quarantine.csv`` and ``changes.csv`` (and
    ``events.xlsx`` when ``excel``; ValueError, before anything is written, when the events do
    not fit in an Excel sheet)."""
    from concurrent.futures import ThreadPoolExecutor

    if not all(hasattr(result, name) for name in ("events", "quarantine", "changes")):
        raise TypeError("write_outputs takes what clean_incidents returns (a CleanResult), "
                        f"got {type(result).__name__}")
    if excel:
        excel_fits(result.events)  # before any file is written
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    parquet = out / "events.parquet"

    def write_parquet() -> Path:
        return write_parquet_text(result.events, parquet)

    jobs = {
        "events.csv": lambda: write_csv(result.events, out / "events.csv"),
        "quarantine.csv": lambda: write_csv(result.quarantine, out / "quarantine.csv"),
        "changes.csv": lambda: write_csv(result.changes, out / "changes.csv"),
        "events.parquet": write_parquet,
    }
    # pyarrow converts and writes without holding the GIL: one thread per file keeps both
    # cores busy (1M rows: 4.2-4.6 s against 5.4 s with two threads, two runs each)
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        paths = {name: future.result() for name, future in futures.items()}
    if excel:
        paths["events.xlsx"] = write_excel(result.events, out / "events.xlsx")
    return paths
