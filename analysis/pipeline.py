"""Clean a read incident table: every raw row ends in one event or in quarantine, with a reason.

:func:`clean_incidents` chains the cleaning steps (each a pure ``DataFrame -> (DataFrame,
changes)`` function), validates the rows against the schema, merges reports of one event, and
checks the accounting rule before it returns.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._arrow import as_str
from ._memory import release_freed_memory
from .clean._log import (
    CHANGE_COLUMNS,
    FLAGS,
    PROBLEM_CODES,
    PROBLEM_MESSAGES,
    as_categorical,
    changes_frame,
    concat_changes,
    empty_changes,
    from_distinct,
)
from .clean._log import append_code as add_flag
from .clean._log import problem as add_problem
from .clean.actors import normalise_actors, normalise_confirmation
from .clean.casualties import parse_casualties
from .clean.dates import parse_dates
from .clean.places import match_sites, normalise_countries
from .clean.sources import parse_sources, read_source_cells
from .clean.text import normalise_text_columns
from .clean.weapons import classify_weapons
from .merge import MATCH_ACROSS_FILES, _merge, input_columns
from .read import SAMPLE_ROWS, STRUCTURE_COLUMNS, few_distinct, match_headers
from .reference import cells_as_text, load_columns
from .validate import EVENT_COLUMNS, check_frame

__all__ = ["clean_incidents", "CleanResult", "QUARANTINE_LEAD"]

#: The codebook columns the steps read (notes and coder pass through untouched).
PARSED = ["event_id", "date", "country", "location", "actor", "target", "weapon", "casualties",
          "claimed_by", "attributed_by", "confirmed_by_us", "sources"]
_KEEP_RAW = ["date", "country", "location", "actor", "target", "weapon", "casualties"]
QUARANTINE_LEAD = ["source_file", "source_sheet", "source_row", "reason", "message"]


@dataclass(frozen=True)
class CleanResult:
    """What cleaning returns: the events, the quarantined rows and the change log."""

    events: pd.DataFrame
    quarantine: pd.DataFrame
    changes: pd.DataFrame
    n_raw_rows: int

    def summary(self) -> str:
        """One line: rows read, events, rows merged, rows quarantined, cells changed."""
        merged = int(self.events["n_reports"].sum()) if len(self.events) else 0
        return (f"{self.n_raw_rows} raw rows -> {len(self.events)} events from {merged} rows, "
                f"{len(self.quarantine)} rows quarantined, {len(self.changes)} changes logged")


def _as_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame that did not come from :func:`read_table` the reader's shape."""
    from .errors import InputError

    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"expected a DataFrame (what read_table returns), got "
                         f"{type(frame).__name__}", file="<DataFrame>")
    if isinstance(frame.columns, pd.MultiIndex):
        raise InputError("the frame's columns have several header levels (a MultiIndex); "
                         "give it one header per column, for example with "
                         "frame.columns = frame.columns.get_level_values(-1)",
                         file="<DataFrame>")
    if "_read_issue" in frame or ("source_file" in frame and "source_row" in frame):
        return _complete(frame)  # read_table's frame, perhaps with some of its columns dropped
    names = match_headers([str(c) for c in frame.columns], file="<DataFrame>")
    frame = frame.set_axis(names, axis=1)
    columns = {}
    for i, col in enumerate(names):
        try:
            columns[col] = cells_as_text(frame.iloc[:, i])
        except UnicodeEncodeError:  # text Arrow cannot hold (a lone surrogate): name the cell
            at = next(k for k, v in enumerate(frame.iloc[:, i]) if not _encodes(str(v)))
            raise InputError("text that is not valid Unicode (a lone surrogate)",
                             file="<DataFrame>", row=at + 1, column=col) from None
    text = pd.DataFrame(columns, index=frame.index, copy=False)
    n = len(text)
    data = {"source_file": "<DataFrame>", "source_sheet": "",
            "source_row": np.arange(2, n + 2, dtype="int64")}
    for col in load_columns()["column"]:
        data[col] = text[col] if col in text else ""
    extra = {c: text[c] for c in text.columns if c not in data}
    out = pd.DataFrame({**data, **extra}, index=text.index).reset_index(drop=True)
    return out.assign(_read_issue="", _read_detail="", _merged_cells="", _formula_cells="")


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _complete(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame from :func:`read_table` that a researcher changed (rows added with
    ``pd.concat``, columns dropped): blank cells and columns where the reader would have
    written ``""``. A row that does not say where it came from stops with an InputError."""
    from .errors import InputError

    if frame.columns.duplicated().any():
        twice = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise InputError(f"column(s) named twice: {', '.join(twice)}", file="<DataFrame>")
    for col in ("source_file", "source_row"):
        if col not in frame:
            raise InputError(f"the frame has read_table's columns but no {col}: it names each "
                             "row's origin, so keep it, or clean the rows as a frame of their "
                             "own (without read_table's columns)", file="<DataFrame>")
        if frame[col].isna().any():
            at = int(np.flatnonzero(frame[col].isna().to_numpy())[0])
            raise InputError(f"row {at + 1} of the frame has no {col}; rows from read_table say "
                             "where they came from: give added rows source_file and source_row, "
                             "or clean them as a frame of their own", file="<DataFrame>")
    fill = {}
    row = frame["source_row"]
    whole = pd.api.types.is_integer_dtype(row) and not pd.api.types.is_bool_dtype(row)
    number = row if whole else pd.Series([_row_number(v) for v in row], index=row.index)
    bad = (number.isna() | (number % 1 != 0) | (number < 1) | (number >= 2**53)).to_numpy(bool)
    if pd.api.types.is_bool_dtype(row) or bad.any():  # a concat may have made them floats
        at = int(np.flatnonzero(bad)[0]) if bad.any() else 0
        raise InputError(f"row {at + 1} of the frame: source_row {row.iat[at]!r} is not a row "
                         "number", file="<DataFrame>")
    if number is not row:
        fill["source_row"] = number.astype("int64")
    repeated = _repeated_origins(frame["source_file"], frame["source_sheet"] if "source_sheet"
                                 in frame else None, np.asarray(number, dtype="int64"))
    if repeated.any():
        at = int(np.flatnonzero(repeated)[0])
        raise InputError(f"row {at + 1} of the frame repeats {frame['source_file'].iat[at]} row "
                         f"{int(number.iat[at])}: the same raw row twice would be counted "
                         "twice", file="<DataFrame>")
    for col in [*STRUCTURE_COLUMNS, *load_columns()["column"]]:
        if col not in frame:
            fill[col] = ""
            continue
        values = frame[col]
        if col == "source_row":
            continue
        if values.dtype == object:  # a missing cell among texts makes this "mixed"
            odd = pd.api.types.infer_dtype(values, skipna=False) not in ("string", "empty")
        else:
            odd = values.hasnans or not (values.dtype == "str" or isinstance(
                values.dtype, pd.CategoricalDtype))
        if odd:
            fill[col] = cells_as_text(values)
    return frame.assign(**fill) if fill else frame


def _row_number(value) -> float:
    """A row number given as a float, text or the like (NaN when it is none)."""
    if isinstance(value, bool | np.bool_):
        return np.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def _repeated_origins(files: pd.Series, sheets: pd.Series | None, rows: np.ndarray
                      ) -> np.ndarray:
    """Per row, whether an earlier row has the same file, sheet and row number. A table as
    the reader gives it (one file and sheet, rows ascending) is settled without hashing."""
    def constant(values) -> bool:
        arr = np.asarray(values, dtype=object)
        return not len(arr) or bool((arr == arr[0]).all())

    if constant(files) and (sheets is None or constant(sheets)) and (np.diff(rows) > 0).all():
        return np.zeros(len(rows), dtype=bool)
    sheet_codes = pd.factorize(sheets)[0] if sheets is not None else 0
    return pd.DataFrame({"file": pd.factorize(files)[0], "sheet": sheet_codes,
                         "row": rows}).duplicated().to_numpy()


def _structure(work: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quarantine blank, repeated-header and ragged rows; log cells filled from merged cells
    and cells read from Excel formulas."""
    issue = work["_read_issue"].to_numpy(object)
    has_issue = issue != ""
    if has_issue.any():
        detail = np.full(len(work), "", dtype=object)
        detail[has_issue] = [f"row: {d}" for d in work["_read_detail"].to_numpy(object)[has_issue]]
        work = add_problem(work, has_issue, issue, detail)
    logs = []
    formula = work["_formula_cells"].to_numpy(object) if "_formula_cells" in work else np.array(
        [""] * len(work), dtype=object)
    no_value = np.zeros(len(work), dtype=bool)
    for idx in np.flatnonzero(formula != ""):
        for item in str(formula[idx]).split("\t"):
            col, sep, text = item.partition("=")
            uncached = col.endswith("!")
            col = col.rstrip("!")
            no_value[idx] |= uncached
            if col in work and not uncached:
                logs.append({"source_file": work["source_file"].iat[idx],
                             "source_sheet": work["source_sheet"].iat[idx],
                             "source_row": work["source_row"].iat[idx], "column": col,
                             "raw_value": text, "clean_value": work[col].iat[idx],
                             "rule": "excel_formula_stored_value", "_pos": work.index[idx]})
    if no_value.any():
        work = work.assign(**{FLAGS: add_flag(work[FLAGS], no_value,
                                              "excel_formula_without_value")})
    merged = work["_merged_cells"].to_numpy(object)
    has = merged != ""
    if not has.any():
        return work, changes_frame(pd.DataFrame(logs, columns=CHANGE_COLUMNS),
                                   len(logs)) if logs else empty_changes()
    for idx in np.flatnonzero(has):
        for col in str(merged[idx]).split(";"):
            if col in work:
                logs.append({"source_file": work["source_file"].iat[idx],
                             "source_sheet": work["source_sheet"].iat[idx],
                             "source_row": work["source_row"].iat[idx], "column": col,
                             "raw_value": "", "clean_value": work[col].iat[idx],
                             "rule": "excel_merged_cell_filled", "_pos": work.index[idx]})
    work = work.assign(**{FLAGS: add_flag(work[FLAGS], has, "merged_cells")})
    return work, changes_frame(pd.DataFrame(logs, columns=CHANGE_COLUMNS), len(logs))


def clean_incidents(raw: pd.DataFrame, *, gazetteer: pd.DataFrame | None = None,
                    actors: pd.DataFrame | None = None, countries: pd.DataFrame | None = None,
                    weapons: pd.DataFrame | None = None, date_order: str | None = None,
                    today: dt.date | None = None,
                    match_across_files: tuple[str, ...] | None = MATCH_ACROSS_FILES,
                    categories: bool = False) -> CleanResult:
    """Clean an incident table into events, quarantine and a change log.

    Parameters
    ----------
    raw
        What :func:`analysis.read_table` returns, or any frame whose headers match the codebook
        (cells are read as text; ``source_row`` then counts from 2 as in a sheet).
    gazetteer, actors, countries, weapons
        Reference tables (default: the package's); pass extended copies to add knowledge.
    date_order
        ``"dmy"`` or ``"mdy"`` to settle numeric dates with an ambiguous order.
    today
        Dates after it are flagged ``future_date`` (default: the day it runs).
    match_across_files
        Columns on which events of different files are matched (``None``: by id only; one name
        on its own is that one column).
    categories
        Keep the event table's text columns with few distinct values (country, site, actor,
        flags, the raw texts, ...) as pandas ``category`` columns, as the change log's are:
        a million-row event table took 364 MB instead of 776 MB. The values are the same;
        :func:`analysis.validate.as_schema_types` gives plain text, and
        :func:`analysis.write_outputs` writes the same files either way.

    Returns
    -------
    CleanResult
        ``events`` (one row per event; ``analysis.validate.EVENT_COLUMNS``), ``quarantine``
        (one row per unusable raw row: origin, ``reason``, ``message`` and every raw cell as it
        was) and ``changes`` (one row per cell that cleaning changed or interpreted; its text
        columns are pandas ``category`` columns, because a million-row table logs millions of
        changes drawn from a few distinct values; ``changes.astype(str)`` gives plain text).

    Examples
    --------
    >>> raw = pd.DataFrame({"event_id": ["S1", "S2"], "date": ["18 Oct 2023", "31 Feb 2024"],
    ...     "country": "Syria", "location": "al-Tanf", "actor": "", "target": "US forces",
    ...     "casualties": ["20 injured", ""], "sources": "AP 2023-10-19 https://a.example"})
    >>> result = clean_incidents(raw, today=dt.date(2025, 1, 1))
    >>> result.events[["event_id", "site", "actor", "injured_best"]].values.tolist()
    [['S1', 'al-Tanf garrison', 'unknown', 20]]
    >>> result.quarantine[["source_row", "reason"]].values.tolist()
    [[3, 'impossible_date']]
    """
    if isinstance(match_across_files, str):  # one column named on its own, not its letters
        match_across_files = (match_across_files,)
    unknown = [c for c in match_across_files or () if c not in (*EVENT_COLUMNS, "_site_key")]
    if unknown:
        raise ValueError(f"match_across_files: {', '.join(unknown)} not among the event "
                         "table's columns (analysis.validate.EVENT_COLUMNS) or _site_key")
    raw = _compact(_as_raw(raw).reset_index(drop=True))  # positions 0..n-1 identify raw rows
    n_raw = len(raw)
    blank = as_categorical("", n_raw)
    work = raw.assign(**{FLAGS: blank, PROBLEM_CODES: blank, PROBLEM_MESSAGES: blank})
    work = work.assign(**{f"{c}_raw": raw[c] for c in _KEEP_RAW})
    logs = []
    work, log = _structure(work)
    logs.append(log)
    work, log = normalise_text_columns(work, PARSED)
    logs.append(log)
    blank_id = (work["event_id"] == "").to_numpy(bool) & (work[PROBLEM_CODES] == "").to_numpy(bool)
    work = add_problem(work, blank_id, "missing_event_id", "event_id: blank")
    steps = [
        lambda f: parse_dates(f, date_order=date_order, today=today),
        lambda f: normalise_countries(f, countries=countries),
        lambda f: match_sites(f, gazetteer=gazetteer),
        lambda f: normalise_actors(f, actors=actors),
        normalise_confirmation,
        lambda f: classify_weapons(f, weapons=weapons),
        parse_casualties,
    ]
    # the sources cells are read in a thread while the other steps run: that reading is in
    # Arrow and numpy, which let go of Python's lock, and the other steps are mostly Python
    # over distinct values, so the two share the cores (the result is the same either way)
    with ThreadPoolExecutor(max_workers=1) as pool:
        sources = pool.submit(read_source_cells, work["sources"])
        for step in steps:
            work, log = step(work)
            logs.append(log)
            release_freed_memory(n_raw)  # each step's temporaries, before the next allocates
        work, log = parse_sources(work, cells=sources.result())
        logs.append(log)
        del sources  # it holds the sources' columns, which merge lets go of one by one
        release_freed_memory(n_raw)
    for col in ("notes", "coder"):
        if not isinstance(work[col].dtype, pd.CategoricalDtype):
            work = work.assign(**{col: work[col].fillna("").astype("str")})

    bad = (work[PROBLEM_CODES] != "").to_numpy(bool)
    checked, codes, messages = check_frame(work, rows=True, only=~bad)  # no copy of the rows
    schema_bad = (codes != "").to_numpy(bool)  # the index is the raw position
    quarantine_idx = work.index[bad | schema_bad]
    q = work.loc[quarantine_idx]
    reason = pd.Series(q[PROBLEM_CODES].to_numpy(object), index=quarantine_idx)
    message = pd.Series(q[PROBLEM_MESSAGES].to_numpy(object), index=quarantine_idx)
    reason.loc[codes.index[schema_bad]] = codes[schema_bad].to_numpy(object)
    message.loc[messages.index[schema_bad]] = messages[schema_bad].to_numpy(object)
    structural = (q["_read_issue"] != "").to_numpy(bool)  # a blank or header row is only that
    reason = reason.mask(structural, q["_read_issue"].to_numpy(object))
    message = message.mask(structural, ("row: " + q["_read_detail"].astype(str)).to_numpy(object))

    quarantine = _quarantine(raw, quarantine_idx, reason, message)
    del raw, work, q  # a million-row table: only the checked rows' columns stay
    columns = {c: checked[c] for c in input_columns(checked.columns, match_across_files)}
    index = checked.index
    del checked  # only the columns merge reads stay, each until its rows are copied
    release_freed_memory(n_raw)
    # the kept rows go to merge with no other reference, so it can let each column go once used
    events, members = _merge([_rows_kept(columns, ~(bad | schema_bad), index)],
                             match_across_files=match_across_files, categories=categories)
    _check_accounting(n_raw, events, members, quarantine_idx)
    release_freed_memory(n_raw)
    changes = concat_changes(logs)
    del logs
    release_freed_memory(n_raw)
    changes = _attach_event_ids(changes, members, n_raw)
    return CleanResult(events=events, quarantine=quarantine, changes=changes, n_raw_rows=n_raw)


def _rows_kept(columns: dict[str, pd.Series], keep: np.ndarray, index: pd.Index
               ) -> pd.DataFrame:
    """The rows ``keep`` (a boolean mask) of ``columns`` (name -> column), copied one column at
    a time, each original let go as soon as it is copied (the dict is emptied): on a large
    table the copy and the whole table are never in memory together."""
    out = {}
    for name in list(columns):
        out[name] = columns.pop(name).array[keep]
    return pd.DataFrame(out, index=index[keep], copy=False)


def _quarantine(raw: pd.DataFrame, idx: pd.Index, reason: pd.Series, message: pd.Series
                ) -> pd.DataFrame:
    cells = [c for c in raw.columns if not c.startswith("_") and c not in STRUCTURE_COLUMNS]
    q = raw.loc[idx, ["source_file", "source_sheet", "source_row", *cells]]
    q = q.assign(reason=reason.loc[idx], message=message.loc[idx],
                 **{c: as_str(q[c]) for c in q.columns if isinstance(q[c].dtype,
                                                                      pd.CategoricalDtype)})
    return q[QUARANTINE_LEAD + cells].reset_index(drop=True)


def _attach_event_ids(changes: pd.DataFrame, members: pd.Series, n_raw: int) -> pd.DataFrame:
    """Order the change log by raw row and add each change's event id by the raw row's position
    (blank for quarantined rows); all on integer codes."""
    order = np.argsort(changes["_pos"].to_numpy(dtype="int64"), kind="stable")
    changes = changes.iloc[order].reset_index(drop=True)
    ids = as_categorical(members)
    by_pos = np.full(n_raw, len(ids.categories), dtype="int64")  # "" for quarantined rows
    by_pos[members.index.to_numpy(dtype="int64")] = ids.codes
    categories = ids.categories.append(pd.Index([""], dtype="str"))
    event_id = from_distinct(by_pos[changes["_pos"].to_numpy(dtype="int64")],
                             categories)  # event ids are unique and never blank
    cols = ["source_file", "source_sheet", "source_row", "event_id", "column", "raw_value",
            "clean_value", "rule"]
    return changes.assign(event_id=event_id)[cols]


def _compact(raw: pd.DataFrame) -> pd.DataFrame:
    """Text columns with few distinct values (judged on the first rows, as the reader judges
    them with ``categories=True``) as ``category``: the steps then parse each category once
    and never touch a Python string per row."""
    new = {}
    for col in raw.columns:
        values = raw[col]
        if col == "source_row" or col.startswith("_") or isinstance(
                values.dtype, pd.CategoricalDtype) or not pd.api.types.is_string_dtype(values):
            continue
        head = values.iloc[:SAMPLE_ROWS]
        if col in ("source_file", "source_sheet") or few_distinct(head.nunique(), len(head)):
            new[col] = as_categorical(values.fillna(""))
    return raw.assign(**new) if new else raw


def _check_accounting(n_raw: int, events: pd.DataFrame, members: pd.Series,
                      quarantine_idx: pd.Index) -> None:
    """Every raw row appears exactly once: in one event (and its raw_rows) or in quarantine."""
    seen = np.bincount(np.r_[members.index.to_numpy(dtype=int),
                             np.asarray(quarantine_idx, dtype=int)], minlength=n_raw)
    listed = int(events["raw_rows"].str.count(";").sum()) + len(events)
    if len(seen) != n_raw or (seen != 1).any() or listed != len(members):
        raise RuntimeError("accounting rule broken: raw rows lost or counted twice "
                           f"({n_raw} raw, {int(seen.sum())} accounted); this is a bug")
