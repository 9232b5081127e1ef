"""Sources: ``;``-separated items, each ``Outlet YYYY-MM-DD URL`` -> a list, a count, a date.

Each item is read for its URL (``http...``), its publication date (``YYYY-MM-DD``; ``undated``
is allowed) and its outlet (the words before them). ``n_sources`` counts distinct items (by URL
where there is one); ``source_date_earliest`` is the earliest publication date. An item with no
URL is flagged ``source_without_url``; one with no date ``source_undated``; a row with no source
at all goes to quarantine (``missing_sources``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._log import FLAGS, append_code, empty_changes, problem

__all__ = ["parse_source_text", "parse_sources", "SourceReading"]

_URL = re.compile(r"https?://\S+")
_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


class SourceReading(NamedTuple):
    items: str  # the items, tidied and joined by "; "
    urls: str  # their URLs joined by " "
    n: int
    earliest: str  # ISO date or ""
    without_url: bool
    undated: bool


def parse_source_text(text: str) -> SourceReading:
    """Read one ``sources`` cell.

    Examples
    --------
    >>> r = parse_source_text("Reuters 2023-10-19 https://a.example/x; AP 2023-10-18 https://b.example/y")
    >>> r.n, r.earliest, r.without_url
    (2, '2023-10-18', False)
    >>> parse_source_text("Al-Monitor undated https://c.example/z").undated
    True
    """
    items, urls, dates, seen = [], [], [], set()
    without_url = undated = False
    for raw in text.split(";"):
        item = raw.strip()
        if not item:
            continue
        url = _URL.search(item)
        key = url[0].rstrip(".,)") if url else item.casefold()
        if key in seen:
            continue
        seen.add(key)
        items.append(item)
        if url:
            urls.append(url[0].rstrip(".,)"))
        else:
            without_url = True
        outside_url = _URL.sub(" ", item)
        found = _DATE.search(outside_url)
        try:
            dates.append(dt.date.fromisoformat(found[0]).isoformat() if found else "")
        except ValueError:  # 2023-02-30 is no publication date
            dates.append("")
        undated |= dates[-1] == ""
        if not dates[-1]:
            dates.pop()
    return SourceReading("; ".join(items), " ".join(urls), len(items),
                         min(dates) if dates else "", without_url, undated)


def _valid_days(days: pd.Series) -> pd.Series:
    """ISO day strings that are real calendar days, as dates; anything else missing."""
    uniques = days.dropna().unique()
    ok = {}
    for d in uniques:
        try:
            ok[d] = dt.date.fromisoformat(d).isoformat()
        except ValueError:  # 2023-02-30 is no publication date
            continue
    return days.map(ok)


def parse_sources(frame: pd.DataFrame, column: str = "sources") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``source_list``, ``source_urls``, ``n_sources`` and ``source_date_earliest``.

    Vectorised over all items of all rows (sources cells are nearly all distinct, so parsing
    each distinct value once would not help); :func:`parse_source_text` reads one cell the same
    way. Nothing in the cell is changed, so nothing is logged; flags say what a reviewer should
    check.

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3], "flags": "",
    ...     "problem_codes": "", "problem_messages": "",
    ...     "sources": ["Rudaw 2023-10-24 https://r.example/1", ""]})
    >>> out, _ = parse_sources(df)
    >>> out[["n_sources", "problem_codes"]].values.tolist()
    [[1, ''], [0, 'missing_sources']]
    """
    n_rows = len(frame)
    text = frame[column].astype("str").fillna("")
    items = text.str.split(";").explode().str.strip()
    items = items[items.notna() & (items != "")]
    row = items.index.to_numpy() if n_rows else np.array([], dtype=int)
    pos = frame.index.get_indexer(row) if len(row) else np.array([], dtype=int)
    url = items.str.extract(r"(https?://\S+)", expand=False).str.rstrip(".,)")
    outside = items.str.replace(r"https?://\S+", " ", regex=True)
    day = outside.str.extract(r"(?:^|[^0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[^0-9]|$)",
                              expand=False)
    day = _valid_days(day.astype(object).where(day.notna(), None))
    key = url.where(url.notna(), items.str.casefold())
    first = ~pd.DataFrame({"pos": pos, "key": key.to_numpy(object)}).duplicated().to_numpy()
    item_arr = items.to_numpy(object)[first]
    url_arr = url.to_numpy(object)[first]
    pos_kept = pos[first]
    starts = np.flatnonzero(np.r_[True, pos_kept[1:] != pos_kept[:-1]]) if len(pos_kept) else (
        np.array([], dtype=int))
    ends = np.r_[starts[1:], len(pos_kept)] if len(pos_kept) else starts
    source_list = np.full(n_rows, "", dtype=object)
    source_urls = np.full(n_rows, "", dtype=object)
    for a, b in zip(starts, ends, strict=True):
        r = pos_kept[a]
        source_list[r] = "; ".join(item_arr[a:b])
        source_urls[r] = " ".join(u for u in url_arr[a:b] if isinstance(u, str))
    n = np.bincount(pos_kept, minlength=n_rows).astype("int64") if n_rows else np.zeros(
        0, dtype="int64")
    without_url = np.zeros(n_rows, dtype=bool)
    undated = np.zeros(n_rows, dtype=bool)
    without_url[pos_kept[pd.isna(url_arr)]] = True
    day_kept = day.to_numpy(object)[first]
    undated[pos_kept[pd.isna(day_kept)]] = True
    earliest = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[s]")
    if len(pos_kept):
        dated = ~pd.isna(day_kept)
        mins = pd.Series(pd.to_datetime(day_kept[dated], format="%Y-%m-%d"), dtype=
                         "datetime64[s]").groupby(pos_kept[dated]).min()
        earliest.iloc[mins.index.to_numpy()] = mins.to_numpy()
    out = frame.assign(
        source_list=pd.Series(source_list, index=frame.index, dtype=object),
        source_urls=pd.Series(source_urls, index=frame.index, dtype=object),
        n_sources=pd.Series(n, index=frame.index, dtype="int64"),
        source_date_earliest=earliest,
    )
    flags = append_code(out[FLAGS], without_url & (n > 0), "source_without_url")
    flags = append_code(flags, undated & (n > 0), "source_undated")
    out = out.assign(**{FLAGS: flags})
    missing = n == 0
    if missing.any():
        out = problem(out, missing, "missing_sources",
                      f"{column}: blank; every row must name the source it was coded from")
    return out, empty_changes()
