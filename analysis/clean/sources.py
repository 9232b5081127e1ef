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

import pandas as pd

from ._log import FLAGS, append_code, empty_changes, map_unique, problem, take

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


def parse_sources(frame: pd.DataFrame, column: str = "sources") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``source_list``, ``source_urls``, ``n_sources`` and ``source_date_earliest``.

    Nothing in the cell is changed, so nothing is logged; flags say what a reviewer should check.

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3], "flags": "",
    ...     "problem_codes": "", "problem_messages": "",
    ...     "sources": ["Rudaw 2023-10-24 https://r.example/1", ""]})
    >>> out, _ = parse_sources(df)
    >>> out[["n_sources", "problem_codes"]].values.tolist()
    [[1, ''], [0, 'missing_sources']]
    """
    codes, found = map_unique(frame[column], parse_source_text)
    earliest = pd.to_datetime(pd.Series(take(found, codes, 3), index=frame.index).replace(
        "", None), format="%Y-%m-%d", errors="raise").astype("datetime64[s]")
    n = take(found, codes, 2, dtype="int64")
    out = frame.assign(
        source_list=pd.Series(take(found, codes, 0), index=frame.index, dtype=object),
        source_urls=pd.Series(take(found, codes, 1), index=frame.index, dtype=object),
        n_sources=pd.Series(n, index=frame.index, dtype="int64"),
        source_date_earliest=earliest,
    )
    flags = append_code(out[FLAGS], take(found, codes, 4, dtype=bool) & (n > 0),
                        "source_without_url")
    flags = append_code(flags, take(found, codes, 5, dtype=bool) & (n > 0), "source_undated")
    out = out.assign(**{FLAGS: flags})
    missing = n == 0
    if missing.any():
        out = problem(out, missing, "missing_sources",
                      f"{column}: blank; every row must name the source it was coded from")
    return out, empty_changes()
