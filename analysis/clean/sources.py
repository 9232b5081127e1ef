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

from .._arrow import join_groups, str_series, to_arrow_text
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


_URL_RE = r"https?://[^ \t\n\r\f\v]+"  # the Arrow (RE2) spelling of _URL
_DAY_RE = r"(?:^|[^0-9])(?P<d>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:[^0-9]|$)"
_WHITESPACE = np.zeros(256, dtype=bool)  # by byte value: ASCII white space
_WHITESPACE[np.frombuffer(b" \t\n\r\f\v", dtype=np.uint8)] = True


def _substrings(arr, start: np.ndarray, end: np.ndarray):
    """``arr[i][start[i]:end[i]]`` (byte positions into the array's data, in order and not
    overlapping) as a new string array, with no Python string per value: the pieces and the
    gaps between them are read as one array over the same bytes, and the pieces taken."""
    import pyarrow as pa

    bounds = np.empty(2 * len(start) + 1, dtype=np.int64)
    bounds[0:-1:2], bounds[1:-1:2] = start, end
    bounds[-1] = end[-1] if len(end) else 0
    both = pa.LargeStringArray.from_buffers(2 * len(start), pa.py_buffer(bounds),
                                           arr.buffers()[2])
    return both.take(pa.array(np.arange(0, 2 * len(start), 2)))


def _url_and_day(items):
    """Per item (a large_string array without nulls): its first URL (``_URL``, with trailing
    ``.,)`` trimmed; null when none) and the first ``YYYY-MM-DD`` outside every URL (null when
    none).

    Items with at most one URL are cut at byte positions with numpy (the URL runs from
    ``http`` to the next ASCII white space), so the date pattern runs only over the short text
    before and after the URL; items with more than one URL start go through the regex kernels.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(items)
    offsets = np.frombuffer(items.buffers()[1], dtype=np.int64)[items.offset:items.offset + n + 1]
    data = items.buffers()[2]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    n_plain = pc.count_substring(items, "http://").to_numpy(zero_copy_only=False)
    n_secure = pc.count_substring(items, "https://").to_numpy(zero_copy_only=False)
    at = pc.find_substring(items, "https://").to_numpy(zero_copy_only=False)
    if (n_plain == 1).any():
        at = np.where(n_plain == 1, pc.find_substring(items, "http://").to_numpy(
            zero_copy_only=False), at)
    one = (n_plain + n_secure) == 1
    item_start, item_end = offsets[:-1], offsets[1:]
    url_start = np.where(one, item_start + at, item_end)
    space = np.flatnonzero(_WHITESPACE[data])  # byte positions of white space
    nxt = np.searchsorted(space, url_start)  # the first at or after each URL's start
    found = nxt < len(space)
    url_end = item_end.copy()
    url_end[found] = np.minimum(space[nxt[found]], item_end[found])
    url_end = np.where(one, url_end, item_end)
    scheme = np.where(n_plain == 1, 7, 8)
    one &= (url_end - url_start) > scheme  # "https://" needs at least one more character
    url_start = np.where(one, url_start, item_end)
    url_end = np.where(one, url_end, item_end)
    url = _substrings(items, url_start, url_end)
    url = pc.if_else(pa.array(one), pc.utf8_rtrim(url, characters=".,)"),
                     pa.scalar(None, pa.large_string()))
    before = _substrings(items, item_start, url_start)
    after = _substrings(items, url_end, item_end)
    day = pc.coalesce(pc.struct_field(pc.extract_regex(before, _DAY_RE), [0]),
                      pc.struct_field(pc.extract_regex(after, _DAY_RE), [0]))
    several = (n_plain + n_secure) > 1
    if several.any():  # the general case, by regex
        idx = np.flatnonzero(several)
        hard = items.take(pa.array(idx))
        h_url = pc.utf8_rtrim(pc.struct_field(pc.extract_regex(hard, f"(?P<u>{_URL_RE})"), [0]),
                              characters=".,)")
        h_day = pc.struct_field(pc.extract_regex(
            pc.replace_substring_regex(hard, _URL_RE, " "), _DAY_RE), [0])
        pick = np.arange(n)
        pick[idx] = n + np.arange(len(idx))
        url = pa.concat_arrays([url, h_url.cast(url.type)]).take(pa.array(pick))
        day = pa.concat_arrays([day, h_day.cast(day.type)]).take(pa.array(pick))
    return url, day


def _iso_days(day) -> np.ndarray:
    """``YYYY-MM-DD`` texts (an Arrow large_string array; null where there is none) as
    ``datetime64[s]``, NaT where the text is null or no day on the calendar (``2023-02-30``):
    the eight digits are read from the array's bytes and checked against the month's length."""
    n = len(day)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    if n == 0 or day.buffers()[2] is None:
        return out
    offsets = np.frombuffer(day.buffers()[1], dtype=np.int64)[day.offset:day.offset + n + 1]
    data = np.frombuffer(day.buffers()[2], dtype=np.uint8)
    valid = day.is_valid().to_numpy(zero_copy_only=False) & (np.diff(offsets) == 10)
    at = np.flatnonzero(valid)
    digits = data[offsets[at][:, None] + np.array([0, 1, 2, 3, 5, 6, 8, 9])].astype(np.int64) - 48
    year = digits[:, :4] @ np.array([1000, 100, 10, 1])
    month = digits[:, 4] * 10 + digits[:, 5]
    dom = digits[:, 6] * 10 + digits[:, 7]
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (dom >= 1)
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    ok &= dom <= length
    out[at[ok]] = (first[ok] + (dom[ok] - 1)).astype("datetime64[s]")
    return out


def _repeated_in_row(key, row: np.ndarray) -> np.ndarray:
    """True for an item whose key an earlier item of the same row already has (rows are in
    order). Rows hold few items, so each item is compared with the 1st, 2nd, ... item before
    it; a row of very many items falls back to grouping the keys."""
    import pyarrow.compute as pc

    n = len(row)
    repeated = np.zeros(n, dtype=bool)
    if n < 2:
        return repeated
    longest = int(np.bincount(row).max())
    if longest > 16:
        key_id = pc.dictionary_encode(key).indices.to_numpy(zero_copy_only=False).astype("int64")
        return pd.Series(row * (int(key_id.max()) + 1) + key_id).duplicated().to_numpy()
    for k in range(1, longest):
        same_row = row[k:] == row[:-k]
        if not same_row.any():
            break
        equal = pc.equal(key.slice(k), key.slice(0, n - k)).to_numpy(zero_copy_only=False)
        repeated[k:] |= same_row & equal
    return repeated


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
    url, day = _url_and_day(items)
    has_url = pc.is_valid(url).to_numpy(zero_copy_only=False)
    stamp = _iso_days(day)
    # one item per source: the first of the items of a row with the same URL (or the same text)
    if has_url.all():
        key = url
    else:
        no_url = np.flatnonzero(~has_url)
        pick = np.arange(len(items))
        pick[no_url] = len(items) + np.arange(len(no_url))
        key = pa.concat_arrays([url, pc.utf8_lower(items.take(pa.array(no_url)))]).take(
            pa.array(pick))
    first = ~_repeated_in_row(key, row)
    if not first.all():
        items, url = (a.filter(pa.array(first)) for a in (items, url))
        row, has_url, stamp = row[first], has_url[first], stamp[first]
    n = np.bincount(row, minlength=n_rows).astype("int64")
    source_list = join_groups(items, row, n_rows, "; ")
    source_urls = join_groups(url.filter(pa.array(has_url)), row[has_url], n_rows, " ")
    without_url = np.zeros(n_rows, dtype=bool)
    without_url[row[~has_url]] = True
    dated = ~np.isnat(stamp)
    undated = np.zeros(n_rows, dtype=bool)
    undated[row[~dated]] = True
    earliest = np.full(n_rows, np.datetime64("NaT"), dtype="datetime64[s]")
    if dated.any():
        days = stamp[dated]
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
