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

from .._arrow import str_series, to_arrow_text
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
        key = url[0].rstrip(".,)") if url else item.lower()
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


def _sep(text: str):
    import pyarrow as pa

    return pa.scalar(text, pa.large_string())


def parse_sources(frame: pd.DataFrame, column: str = "sources") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``source_list``, ``source_urls``, ``n_sources`` and ``source_date_earliest``.

    Vectorised with Arrow's string kernels over all items of all rows (sources cells are nearly
    all distinct, so parsing each distinct value once would not help); :func:`parse_source_text`
    reads one cell the same way, and a test holds the two to the same answers. Nothing in the
    cell is changed, so nothing is logged; flags say what a reviewer should check.

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3], "flags": "",
    ...     "problem_codes": "", "problem_messages": "",
    ...     "sources": ["Rudaw 2023-10-24 https://r.example/1", ""]})
    >>> out, _ = parse_sources(df)
    >>> out[["n_sources", "problem_codes"]].values.tolist()
    [[1, ''], [0, 'missing_sources']]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n_rows = len(frame)
    lists = pc.split_pattern(to_arrow_text(frame[column], missing_as_empty=True), ";")
    counts = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
    items = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    row = np.repeat(np.arange(n_rows), counts)
    nonempty = pc.not_equal(items, "").to_numpy(zero_copy_only=False)
    items = items.filter(pa.array(nonempty))
    row = row[nonempty]
    url = pc.struct_field(pc.extract_regex(items, r"(?P<u>https?://[^ \t\n\r\f\v]+)"), [0])
    url = pc.utf8_rtrim(url, characters=".,)")
    has_url = pc.is_valid(url).to_numpy(zero_copy_only=False)
    outside = pc.replace_substring_regex(items, r"https?://[^ \t\n\r\f\v]+", " ")
    day = pc.struct_field(pc.extract_regex(
        outside, r"(?:^|[^0-9])(?P<d>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:[^0-9]|$)"), [0])
    stamp = pc.strptime(day, format="%Y-%m-%d", unit="s", error_is_null=True)
    real = pc.equal(pc.strftime(stamp, format="%Y-%m-%d"), day)  # 2023-02-30 is no day
    stamp = pc.if_else(pc.fill_null(real, False), stamp, pa.scalar(None, pa.timestamp("s")))
    # one item per source: the first of the items of a row with the same URL (or the same text)
    key = pc.if_else(pc.is_valid(url), url, pc.utf8_lower(items))
    key_id = pc.dictionary_encode(key).indices.to_numpy(zero_copy_only=False).astype("int64")
    first = ~pd.Series(row * (int(key_id.max()) + 1 if len(key_id) else 1) + key_id
                       ).duplicated().to_numpy()
    if not first.all():
        items, url, stamp = (a.filter(pa.array(first)) for a in (items, url, stamp))
        row, has_url = row[first], has_url[first]
    n = np.bincount(row, minlength=n_rows).astype("int64")
    offsets = pa.array(np.r_[0, np.cumsum(n)].astype("int64"))
    source_list = pc.binary_join(pa.LargeListArray.from_arrays(offsets, items), _sep("; "))
    urls = url.filter(pa.array(has_url))
    url_offsets = pa.array(np.r_[0, np.cumsum(np.bincount(row[has_url], minlength=n_rows))]
                           .astype("int64"))
    source_urls = pc.binary_join(pa.LargeListArray.from_arrays(url_offsets, urls), _sep(" "))
    without_url = np.zeros(n_rows, dtype=bool)
    without_url[row[~has_url]] = True
    dated = pc.is_valid(stamp).to_numpy(zero_copy_only=False)
    undated = np.zeros(n_rows, dtype=bool)
    undated[row[~dated]] = True
    earliest = np.full(n_rows, np.datetime64("NaT"), dtype="datetime64[s]")
    if dated.any():
        days = stamp.filter(pa.array(dated)).to_numpy(zero_copy_only=False).astype("datetime64[s]")
        order = np.lexsort((days, row[dated]))  # per row, its earliest day comes first
        rows_sorted = row[dated][order]
        head = np.r_[True, rows_sorted[1:] != rows_sorted[:-1]]
        earliest[rows_sorted[head]] = days[order][head]
    out = frame.assign(
        source_list=str_series(source_list, frame.index),
        source_urls=str_series(source_urls, frame.index),
        n_sources=pd.Series(n, index=frame.index, dtype="int64"),
        source_date_earliest=pd.Series(earliest, index=frame.index),
    )
    flags = append_code(out[FLAGS], without_url & (n > 0), "source_without_url")
    flags = append_code(flags, undated & (n > 0), "source_undated")
    out = out.assign(**{FLAGS: flags})
    missing = n == 0
    if missing.any():
        out = problem(out, missing, "missing_sources",
                      f"{column}: blank; every row must name the source it was coded from")
    return out, empty_changes()
