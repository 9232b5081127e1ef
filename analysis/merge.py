"""Merge reports of one event into one event that lists every raw row it came from.

Two rules decide what is one event:

1. Rows of one file with the same ``event_id`` are reports of one event (the coder said so).
2. Across files, events with the same dates, country, site and actor are one event when each
   file has exactly one such event. Inside one file, two ids with that same key are the coder's
   call (two attacks on one base in one day are common) and are kept apart but flagged
   ``possible_duplicate``; so are keys that several events of one file share with another file.

Where merged reports disagree nothing is settled silently: dates widen to a range, casualty
counts keep the lowest low and the highest best and high (an open-ended report, such as
``40+``, leaves the high missing), the first report's place, actor, target and weapon stand, and
every disagreement is written to ``conflicts`` and flagged ``conflicting_reports``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._arrow import STR, as_str, join_groups, str_series, to_arrow_text
from ._memory import release_freed_memory
from .clean._log import (
    FLAGS,
    append_code,
    as_categorical,
    factorize_text,
    from_distinct,
    map_unique,
    text_column,
    unique_inverse,
)
from .clean._log import (
    take as broadcast,
)
from .validate import EVENT_COLUMNS, as_schema_types

__all__ = ["merge_reports", "merge_with_members", "row_keys", "MATCH_ACROSS_FILES"]

MATCH_ACROSS_FILES = ("date_start", "date_end", "country_iso3", "_site_key", "actor")
_CONFLICT_COLUMNS = ["date_start", "date_end", "country", "site", "actor", "target",
                     "weapon_class", "killed_best", "injured_best", "confirmed_by_us"]
_JOINED = ["date_raw", "country_raw", "location_raw", "actor_raw", "target_raw", "weapon_raw",
           "casualties_raw", "notes", "coder"]


def row_keys(frame: pd.DataFrame) -> pd.Series:
    """``file:row`` (``file[sheet]:row`` for a workbook sheet) for every row; in a file or
    sheet name a ``;`` is written ``%3B`` (``raw_rows`` joins these keys with ``;``) and so a
    ``%`` is written ``%25``.

    Examples
    --------
    >>> row_keys(pd.DataFrame({"source_file": ["a.csv", "b.xlsx"], "source_sheet": ["", "S1"],
    ...                        "source_row": [2, 5]})).tolist()
    ['a.csv:2', 'b.xlsx[S1]:5']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    # one label per distinct (file, sheet) pair, then one Arrow join: no Python string per row
    pair = _group_ids([frame["source_file"], frame["source_sheet"]])
    _, first = _first_at(pair)
    files = frame["source_file"].iloc[first].astype("str").tolist()
    sheets = frame["source_sheet"].iloc[first].astype("str").fillna("").tolist()
    labels = pa.array([(f"{f}[{s}]" if s else f).replace("%", "%25").replace(";", "%3B")
                       for f, s in zip(files, sheets, strict=True)],  # ";" separates keys
                      type=pa.large_string())
    row = frame["source_row"]
    if pd.api.types.is_integer_dtype(row) and not row.isna().any():
        number = pc.cast(pa.array(row.to_numpy(dtype="int64")), pa.large_string())
    else:
        number = to_arrow_text(row.astype("str"), missing_as_empty=True)
    keys = pc.binary_join_element_wise(pc.take(labels, pa.array(pair)), number,
                                       pa.scalar(":", pa.large_string()))
    return str_series(keys, frame.index)


def _union_items(values, sep: str = "; ") -> str:
    items = (i.strip() for v in values for i in str(v).split(";"))
    return sep.join(dict.fromkeys(i for i in items if i))


def _join_unique(values) -> str:
    return " | ".join(dict.fromkeys(str(v) for v in values if str(v)))


def _group_ids(columns: list[pd.Series]) -> np.ndarray:
    """One integer id per distinct combination of ``columns`` (missing values form a group),
    in order of first appearance: the columns are factorized and their codes combined."""
    ids = np.zeros(len(columns[0]) if columns else 0, dtype="int64")
    size = 1  # the combined ids are below this
    for col in columns:
        codes, uniques = pd.factorize(col, use_na_sentinel=False)
        if size * (len(uniques) + 1) >= 2**62:  # renumber before the product overflows
            ids = pd.factorize(ids)[0].astype("int64")
            size = int(ids.max()) + 1
        ids = ids * (len(uniques) + 1) + codes
        size *= len(uniques) + 1
    return pd.factorize(ids)[0].astype("int64") if len(columns) > 1 else ids.astype("int64")


def _first_at(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of non-negative integer ``codes`` (ascending) and the position of
    each one's first occurrence: ``np.unique(codes, return_index=True)`` without sorting."""
    if not len(codes):
        return codes[:0], np.zeros(0, dtype=np.intp)
    first = np.full(int(codes.max()) + 1, -1, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write (the first row) wins
    values = np.flatnonzero(first >= 0)
    return values, first[values]


def _clusters(rows: pd.DataFrame, match: tuple[str, ...] | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cluster id per row, per row whether it shares its key with an event it was not merged
    with, and the code of each row's ``event_id`` text."""
    eid = pd.factorize(rows["event_id"], use_na_sentinel=False)[0]
    gid = _group_ids([rows["source_file"], rows["source_sheet"], eid])
    possible_dup = np.zeros(len(rows), dtype=bool)
    if not match or rows.empty:
        return gid, possible_dup, eid
    _, first_at = _first_at(gid)
    first = rows[[*match, "source_file"]].iloc[first_at].assign(_gid=gid[first_at])
    keys = first[list(match)]
    usable = keys.notna().all(axis=1)  # a key part that says nothing matches nothing
    if "_site_key" in match:
        usable &= first["_site_key"] != ""
    if "actor" in match:
        usable &= first["actor"] != "unknown"
    first = first.loc[usable]
    if first.empty:
        return gid, possible_dup, eid
    key_id = _group_ids([first[c] for c in match])
    file_id = _group_ids([first["source_file"]])
    g = first["_gid"].to_numpy()
    n_groups = np.bincount(key_id)
    n_file_ids = int(file_id.max()) + 1
    key_file = pd.unique(key_id * n_file_ids + file_id)  # each distinct (key, file) pair once
    n_files = np.bincount(key_file // n_file_ids, minlength=len(n_groups))
    merge_ok = (n_groups > 1) & (n_groups == n_files)
    target = np.full(len(n_groups), np.iinfo("int64").max)
    np.minimum.at(target, key_id, g)
    remap = np.arange(int(gid.max()) + 1 if len(gid) else 0)
    ok = merge_ok[key_id]
    remap[g[ok]] = target[key_id[ok]]
    cluster = remap[gid]
    dup = (n_groups > 1)[key_id] & ~ok
    if dup.any():
        marked = np.zeros(len(remap), dtype=bool)
        marked[g[dup]] = True
        possible_dup = marked[gid]
    return cluster, possible_dup, eid


def input_columns(columns, match_across_files: tuple[str, ...] | None = MATCH_ACROSS_FILES
                  ) -> list[str]:
    """Which of the cleaned rows' ``columns`` merging reads."""
    wanted = dict.fromkeys([*EVENT_COLUMNS, *_JOINED, "source_file", "source_sheet",
                            "source_row", "_site_key", *(match_across_files or ())])
    return [c for c in wanted if c in columns]


def merge_reports(rows: pd.DataFrame, *, match_across_files: tuple[str, ...] | None
                  = MATCH_ACROSS_FILES) -> pd.DataFrame:
    """Merge cleaned rows into events; see :func:`merge_with_members`."""
    return merge_with_members(rows, match_across_files=match_across_files)[0]


def merge_with_members(rows: pd.DataFrame, *, match_across_files: tuple[str, ...] | None
                       = MATCH_ACROSS_FILES, categories: bool = False
                       ) -> tuple[pd.DataFrame, pd.Series]:
    """Merge cleaned rows into events (one row per event, ``EVENT_COLUMNS``).

    ``rows`` are cleaned, validated rows with ``source_file``, ``source_sheet`` and
    ``source_row``, indexed by their position in the raw input (reports of one event keep that
    order, and events sort by date, then input order). Pass ``match_across_files=None`` to merge
    by ``event_id`` only. With ``categories``, text columns that arrive as ``category`` stay
    so (the event id is always text). Returns the events and, indexed like ``rows``, the event
    id each row went to.

    Examples
    --------
    >>> from analysis import clean_incidents
    >>> raw = pd.DataFrame({"event_id": ["A1", "A1"], "date": ["2024-01-28", "28 Jan 2024"],
    ...     "country": "Jordan", "location": "Tower 22", "actor": "Islamic Resistance in Iraq",
    ...     "target": "US forces", "casualties": ["3 killed, 34 injured", "3 killed, 40+ injured"],
    ...     "sources": ["AP 2024-01-28 https://a.example", "CNN 2024-01-29 https://b.example"]})
    >>> ev = clean_incidents(raw).events
    >>> ev[["event_id", "n_reports", "n_sources", "injured_low", "injured_best"]].values.tolist()
    [['A1', 2, 2, 34, 40]]
    >>> ev.loc[0, "injured_high"] is pd.NA, ev.loc[0, "conflicts"]
    (True, 'injured_best: 34 | 40')
    """
    return _merge([rows], match_across_files=match_across_files, categories=categories)


def _merge(holder: list[pd.DataFrame], *, match_across_files: tuple[str, ...] | None,
           categories: bool) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`merge_with_members` on the frame in ``holder``, which it takes out: when the
    caller keeps no other reference, each row column is let go once taken (a frame passed as
    an argument stays referenced by the caller until the call returns)."""
    rows = holder.pop()
    # only what events need: fewer columns to move
    rows = rows[input_columns(rows.columns, match_across_files)].assign(_pos=rows.index)
    if not rows.index.is_monotonic_increasing:
        rows = rows.sort_index(kind="stable")
    rows = rows.reset_index(drop=True)
    if "_site_key" not in rows:
        rows = rows.assign(_site_key=_site_keys(rows))
    n_rows = len(rows)
    release_freed_memory(n_rows)  # here and below: a large table's temporaries, given back
    cluster, possible_dup, eid = _clusters(rows, match_across_files)
    release_freed_memory(n_rows)
    rows = rows.assign(_cluster=cluster, _row_key=row_keys(rows))
    if possible_dup.any():
        rows = rows.assign(**{FLAGS: append_code(rows[FLAGS], possible_dup, "possible_duplicate")})
    n_reports = np.bincount(cluster) if len(cluster) else np.zeros(0, dtype="int64")
    is_multi = n_reports[cluster] > 1
    _, first_at = _first_at(cluster)  # rows are in input order
    date_start = rows["date_start"].to_numpy(dtype="datetime64[s]", copy=True)[first_at]
    multi = _merge_multi(rows.loc[is_multi]) if is_multi.any() else None
    release_freed_memory(n_rows)
    if multi is not None:
        at = np.searchsorted(cluster[first_at], multi["_cluster"].to_numpy())
        date_start[at] = multi["date_start"].to_numpy(dtype="datetime64[s]")
    order = np.lexsort((first_at, date_start))  # by date, then input order (NaT last)
    rows = rows.assign(n_reports=n_reports[cluster].astype("int64"), raw_rows=rows["_row_key"],
                       conflicts=as_categorical("", len(rows)))
    take_cols = [c for c in dict.fromkeys([*EVENT_COLUMNS, "_cluster", "source_file",
                                           "source_sheet"]) if c in rows]
    first_row = first_at[order]  # each event's first report, events in their final order
    pick = None
    if multi is not None:  # a merged event's values come from multi: one take from both
        at_multi = np.full(len(n_reports), -1, dtype="int64")
        at_multi[multi["_cluster"].to_numpy()] = np.arange(len(multi))
        event_multi = at_multi[cluster[first_row]]
        pick = np.where(event_multi >= 0, len(rows) + event_multi, first_row)
    positions = rows["_pos"].to_numpy(copy=True)
    row_columns = {c: rows[c] for c in take_cols}
    del rows  # each row column is let go once taken (when nothing else holds it)

    def take(column: str) -> pd.Series:
        extra = (multi[column] if multi is not None and column in multi
                 and column != "_cluster" else None)
        return _take_from([row_columns.pop(column)], extra, pick, first_row)

    texts = [c for c in take_cols if row_columns[c].dtype == "str"]
    columns = {c: take(c) for c in take_cols if c not in texts}
    release_freed_memory(n_rows)
    for c in texts:  # the long texts last, each given back once copied
        columns[c] = take(c)
        release_freed_memory(n_rows)
    out = pd.DataFrame({c: columns.pop(c) for c in take_cols}, copy=False)
    out = as_schema_types(out, categories=categories)
    out = out.assign(event_id=as_str(out["event_id"]))
    event_eid = eid[first_row]  # an id text shared by two events: one code, counted twice
    dup_id = pd.Series(np.bincount(event_eid)[event_eid] > 1)
    if dup_id.any():
        out["event_id"] = _unique_ids(out["event_id"], dup_id.to_numpy(),
                                      out["source_file"].astype("str"),
                                      out["source_sheet"].astype("str"))
    event_of_cluster = np.empty(len(n_reports), dtype="int64")
    event_of_cluster[out["_cluster"].to_numpy()] = np.arange(len(out))
    ids = pd.Index(out["event_id"], dtype="str")
    # the event ids as categories, each row's event as a code
    member_ids = from_distinct(event_of_cluster[cluster], ids)  # made unique above
    members = pd.Series(member_ids, index=positions, name="event_id")
    return as_schema_types(out[EVENT_COLUMNS], categories=categories), members


def _unique_ids(ids: pd.Series, shared: np.ndarray, files: pd.Series, sheets: pd.Series
               ) -> pd.Series:
    """Event ids made unique where ``shared`` (the same id text for several events): prefixed
    with the file's name (``a:A1``), then, where that still collides, with the file as given
    and its sheet (``x/a.csv:A1``, ``w.xlsx[S1]:A1``), and last numbered (``...#2``)."""
    given, ids = ids, ids.copy()
    codes, stems, _ = map_unique(files, lambda f: Path(f).stem)  # each file's stem once
    stems = pd.Series(broadcast(stems, codes), index=files.index, dtype="str")
    ids[shared] = stems[shared] + ":" + ids[shared]
    still = ids.duplicated(keep=False).to_numpy() & shared
    if still.any():  # same file name in two folders, or two sheets of one workbook
        where = files.where(sheets == "", files + "[" + sheets + "]")
        ids[still] = where[still] + ":" + given[still]
    still = ids.duplicated(keep=False).to_numpy()
    if still.any():  # an id that is itself written like a prefixed one
        n = ids[still].groupby(ids[still]).cumcount() + 1
        ids[still] = ids[still].where(n == 1, ids[still] + "#" + n.astype(str))
    while ids.duplicated().any():  # "#2" already taken: number again (never in practice)
        dup = ids.duplicated().to_numpy()
        ids[dup] = ids[dup] + "#"
    return ids


def _take_from(holder: list[pd.Series], extra: pd.Series | None, pick: np.ndarray,
               first_row: np.ndarray) -> pd.Series:
    """Rows ``pick`` of the column in ``holder`` (which it takes out) followed by ``extra``
    (``first_row`` of the column when there is no ``extra``): a ``category`` column on its
    codes, a text column in Arrow, let go as soon as its rows are taken."""
    if holder[0].dtype == "str" or (extra is not None and holder[0].dtype == object):
        return _take_text(holder, first_row if extra is None else pick, extra)
    values = holder.pop()
    if extra is None:
        return values.iloc[first_row].reset_index(drop=True)
    if isinstance(values.dtype, pd.CategoricalDtype):
        from pandas.api.types import union_categoricals

        both = union_categoricals([values.array, as_categorical(extra)])
        return pd.Series(pd.Categorical.from_codes(both.codes[pick], dtype=both.dtype))
    both = pd.concat([values.reset_index(drop=True),
                      extra.astype(values.dtype).reset_index(drop=True)], ignore_index=True)
    return both.iloc[pick].reset_index(drop=True)


#: Rows of a text column taken at a time. Taking a million source lists (a 97 MB column) in
#: one go, merged events' rows put in after, raised the process by 464 MB for a moment.
_TEXT_SLICE = 131_072


def _take_text(holder: list[pd.Series], pick: np.ndarray, extra: pd.Series | None = None
               ) -> pd.Series:
    """Rows ``pick`` of the text column in ``holder`` (which it takes out and lets go once
    taken); positions from ``len(column)`` on are rows of ``extra``. When ``extra`` is used,
    the column is copied once with ``extra``'s few rows appended (the original let go). The
    rows are then taken a slice at a time into a chunked Arrow column, so the take itself
    holds little besides its result."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = to_arrow_text(holder.pop().astype("str"))
    if extra is not None and (pick >= len(values)).any():
        values = pa.concat_arrays([values, to_arrow_text(extra.astype("str"))])
    parts = [pc.take(values, pa.array(pick[start:start + _TEXT_SLICE]))
             for start in range(0, len(pick), _TEXT_SLICE)]
    del values
    return str_series(pa.chunked_array(parts, type=pa.large_string()),
                      pd.RangeIndex(len(pick)))


def _site_keys(rows: pd.DataFrame) -> pd.Series:
    """The gazetteer id of a known site, else its name case-folded (worked out per distinct
    pair)."""
    sid_codes, sid_u = factorize_text(rows["site_id"])
    site_codes, site_u = factorize_text(rows["site"])
    pair = sid_codes.astype("int64") * max(len(site_u), 1) + site_codes
    pairs, inverse = unique_inverse(pair)
    keys = [sid_u[p // max(len(site_u), 1)] or site_u[p % max(len(site_u), 1)].casefold()
            for p in pairs]
    return text_column(keys, inverse, rows.index)


def _group_join(group: np.ndarray, items, n_groups: int, sep: str, *, unique: bool = True,
                drop_empty: bool = True):
    """Per group, its items joined by ``sep`` in order (without empty ones when ``drop_empty``,
    each distinct item once when ``unique``); ``group`` is sorted and gives each item's group.
    One Arrow array of texts."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keep = (pc.not_equal(items, "").to_numpy(zero_copy_only=False) if drop_empty
            else np.ones(len(items), dtype=bool))
    if unique:
        text = pd.Series(pd.arrays.ArrowStringArray(items), dtype=STR)
        keep &= ~pd.DataFrame({"g": group, "v": text}).duplicated().to_numpy()
    return join_groups(items.filter(pa.array(keep)), group[keep], n_groups, sep)


def _as_items(values: pd.Series, split: bool):
    """A column's texts as an Arrow array and, when ``split``, its ``;``-separated items
    trimmed (with the position of the row each came from)."""
    import pyarrow.compute as pc

    text = to_arrow_text(as_str(values) if isinstance(values.dtype, pd.CategoricalDtype)
                         else values, missing_as_empty=True)
    if not split:
        return text, np.arange(len(text))
    lists = pc.split_pattern(text, ";")
    owner = np.repeat(np.arange(len(text)), pc.list_value_length(lists).to_numpy(
        zero_copy_only=False))
    return pc.utf8_trim_whitespace(pc.list_flatten(lists)), owner


def _shown(values: pd.Series):
    """Values as the conflicts column shows them: dates as YYYY-MM-DD, missing as null."""
    import pyarrow as pa

    if pd.api.types.is_datetime64_any_dtype(values):
        days = values.to_numpy(dtype="datetime64[D]")
        text = np.datetime_as_string(days, unit="D").astype(object)
        return pa.array(text, type=pa.large_string(), mask=np.isnat(days))
    missing = values.isna().to_numpy()
    text = np.asarray(values.astype("str").fillna(""), dtype=object)
    return pa.array(text, type=pa.large_string(), mask=missing)


def _join_present(parts: list, n: int, sep: str):
    """Per row ``0..n-1``, the non-null values of the Arrow string arrays ``parts`` joined by
    ``sep`` in order (``""`` where all are null). Not Arrow's ``binary_join_element_wise`` with
    ``null_handling="skip"``: pyarrow 26.0.1 drops the rows whose values are all null."""
    import pyarrow as pa

    if not parts:
        return pa.array([""] * n, type=pa.large_string())
    k = len(parts)
    items = pa.concat_arrays(parts).take(pa.array(np.arange(n * k).reshape(k, n).T.ravel()))
    present = items.is_valid()
    row = np.repeat(np.arange(n), k)[present.to_numpy(zero_copy_only=False)]
    return join_groups(items.filter(present), row, n, sep)


def _merge_multi(multi: pd.DataFrame) -> pd.DataFrame:
    """Aggregate clusters of several rows: compiled groupby for numbers and firsts, Arrow list
    joins for the text unions (no per-group Python)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .clean.sources import parse_sources

    multi = multi.sort_values(["_cluster", "_pos"], kind="stable")
    g = multi.groupby("_cluster", sort=True, observed=True)
    out = g.first()
    cl = multi["_cluster"].to_numpy()
    group = np.cumsum(np.r_[True, cl[1:] != cl[:-1]]) - 1
    n_groups = len(out)

    def union(column: str, sep: str = "; ", split: bool = True, unique: bool = True):
        items, owner = _as_items(multi[column], split)
        return _group_join(group[owner], items, n_groups, sep, unique=unique)

    def text(arr) -> pd.Series:
        return str_series(arr, out.index)

    out["date_start"] = g["date_start"].min()
    out["date_end"] = g["date_end"].max()
    same_dates = (g["date_start"].nunique() == 1) & (g["date_end"].nunique() == 1)
    out["date_precision"] = np.where(same_dates & (g["date_precision"].nunique() == 1),
                                     out["date_precision"], "range")
    for cat in ("killed", "injured"):
        low, best, high = (f"{cat}_{p}" for p in ("low", "best", "high"))
        out[low] = g[low].min()
        out[best] = g[best].max()
        open_ended = (multi[best].notna() & multi[high].isna()).groupby(multi["_cluster"]).any()
        out[high] = g[high].max().mask(open_ended)
    for col in ("claimed_by", "attributed_by", "source_list"):
        out[col] = text(union(col))
    conf = multi["confirmed_by_us"]
    any_yes = conf.eq("yes").groupby(multi["_cluster"]).any()
    any_no = conf.eq("no").groupby(multi["_cluster"]).any()
    out["confirmed_by_us"] = np.where(any_yes, "yes", np.where(any_no, "no", ""))
    blank = np.full(n_groups, "", dtype=object)
    readings, _ = parse_sources(pd.DataFrame({
        "source_file": blank, "source_row": 0, FLAGS: blank, "problem_codes": blank,
        "problem_messages": blank, "sources": out["source_list"].to_numpy()}, index=out.index))
    out["source_urls"] = readings["source_urls"]
    out["n_sources"] = readings["n_sources"].astype("int64")
    out["source_date_earliest"] = g["source_date_earliest"].min()
    out["n_reports"] = g.size()
    out["raw_rows"] = text(union("_row_key", ";", split=False, unique=False))
    for col in _JOINED:
        out[col] = text(union(col, " | ", split=False))
    parts = []
    for col in _CONFLICT_COLUMNS:
        n = g[col].nunique(dropna=True).to_numpy()
        if not (n > 1).any():
            continue
        shown = _shown(multi[col])
        joined = _group_join(group[shown.is_valid().to_numpy(zero_copy_only=False)],
                             shown.drop_null(), n_groups, " | ", drop_empty=False)
        labelled = pc.binary_join_element_wise(pa.scalar(f"{col}: ", pa.large_string()), joined,
                                               pa.scalar("", pa.large_string()))
        parts.append(pc.if_else(pa.array(n > 1), labelled, pa.scalar(None, pa.large_string())))
    conflicts = _join_present(parts, n_groups, "; ")
    has_conflict = pc.not_equal(conflicts, "")
    out["conflicts"] = text(conflicts)
    flags = union(FLAGS)
    flags = pc.if_else(pc.equal(flags, ""), pa.scalar(None, pa.large_string()), flags)
    conflicting = pc.if_else(has_conflict, pa.scalar("conflicting_reports", pa.large_string()),
                             pa.scalar(None, pa.large_string()))
    out[FLAGS] = text(pc.binary_join_element_wise(
        flags, pa.scalar("merged_reports", pa.large_string()), conflicting,
        pa.scalar("; ", pa.large_string()), null_handling="skip"))
    return out.reset_index()  # keeps _cluster as a column
