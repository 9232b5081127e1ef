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

__all__ = ["parse_source_text", "parse_sources", "read_source_cells", "SourceCells",
           "SourceReading"]

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


def _item_of(offsets: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The item (by ``offsets`` into the bytes) that holds each byte position in ``pos``."""
    return np.searchsorted(offsets, pos, side="right") - 1


def _is_digit(data: np.ndarray, pos: np.ndarray) -> np.ndarray:
    return (data[pos] - 48) < 10  # uint8: a byte below "0" wraps round to 208 or more


def _first_day(data: np.ndarray, seg_start: np.ndarray, seg_end: np.ndarray) -> np.ndarray:
    """Per segment ``data[seg_start[i]:seg_end[i]]`` (segments in order, not overlapping), the
    byte position of its first ``YYYY-MM-DD`` with no digit right before or after it inside
    the segment (``_DAY_RE``), -1 where there is none. Only the bytes around each ``-`` are
    looked at."""
    found = np.full(len(seg_start), -1, dtype=np.int64)
    if not len(seg_start) or len(data) < 10:
        return found
    at = np.flatnonzero(data == 45) - 4  # a date starts 4 bytes before its first dash
    at = at[(at >= 0) & (at + 10 <= len(data))]
    at = at[data[at + 7] == 45]
    for k in (0, 1, 2, 3, 5, 6, 8, 9):
        at = at[_is_digit(data, at + k)]
    at = at[at >= seg_start[0]]
    seg = np.searchsorted(seg_start, at, side="right") - 1  # the last segment starting at or before
    start, end = seg_start[seg], seg_end[seg]
    ok = at + 10 <= end
    ok &= (at == start) | ~_is_digit(data, np.maximum(at - 1, 0))
    ok &= (at + 10 == end) | ~_is_digit(data, np.minimum(at + 10, len(data) - 1))
    at, seg = at[ok], seg[ok]
    head = np.r_[True, seg[1:] != seg[:-1]] if len(seg) else np.zeros(0, dtype=bool)
    found[seg[head]] = at[head]  # positions ascend, so each segment's first comes first
    return found


def _matches(data: np.ndarray, at: np.ndarray, word: bytes) -> np.ndarray:
    """Does ``word`` stand in ``data`` at each byte position ``at`` (all within bounds)?"""
    ok = np.ones(len(at), dtype=bool)
    for k, byte in enumerate(word):
        ok &= data[at + k] == byte
    return ok


def _url_starts(data: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per item (``offsets`` into the bytes ``data``): how many ``http://`` and ``https://`` it
    holds, and the byte position where the first of them starts (the item's end when none).
    Only the bytes around each ``://`` are looked at."""
    n = len(offsets) - 1
    colon = np.flatnonzero(data == 58)
    colon = colon[(colon >= offsets[0] + 4) & (colon + 3 <= offsets[-1])]
    colon = colon[(data[colon + 1] == 47) & (data[colon + 2] == 47)]
    plain = _matches(data, colon - 4, b"http")
    secure = ((colon >= offsets[0] + 5) & (data[colon - 1] == 115)
              & _matches(data, np.maximum(colon - 5, 0), b"http"))
    start = np.where(secure, colon - 5, colon - 4)
    item = _item_of(offsets, start)
    keep = (plain | secure) & (colon + 3 <= offsets[item + 1])  # the scheme inside one item
    item, start, secure, plain = item[keep], start[keep], secure[keep], plain[keep]
    n_plain = np.bincount(item[plain], minlength=n)
    n_secure = np.bincount(item[secure], minlength=n)
    first = offsets[1:].copy()
    head = np.r_[True, item[1:] != item[:-1]] if len(item) else np.zeros(0, dtype=bool)
    first[item[head]] = start[head]  # positions ascend, so each item's first comes first
    return n_plain, n_secure, first


def _url_and_day(items):
    """Per item (a large_string array without nulls): its first URL (``_URL``, with trailing
    ``.,)`` trimmed; null when none) and the day of its first ``YYYY-MM-DD`` outside every URL
    (``datetime64[s]``; NaT when none, or when no day on the calendar).

    Items with at most one URL are read from their bytes with numpy: the URL runs from
    ``http`` to the next ASCII white space, and the date is looked for before and after it.
    Items with more than one URL go through the regex kernels.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(items)
    offsets = np.frombuffer(items.buffers()[1], dtype=np.int64)[items.offset:items.offset + n + 1]
    data = items.buffers()[2]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    n_plain, n_secure, url_start = _url_starts(data, offsets)
    one = (n_plain + n_secure) == 1
    item_start, item_end = offsets[:-1], offsets[1:]
    url_start = np.where(one, url_start, item_end)
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
    segments = np.empty((n, 4), dtype=np.int64)  # before the URL, then after it
    segments[:, 0], segments[:, 1], segments[:, 2], segments[:, 3] = (
        item_start, url_start, url_end, item_end)
    first = _first_day(data, segments[:, 0::2].reshape(-1), segments[:, 1::2].reshape(-1))
    first = first.reshape(n, 2)
    day_at = np.where(first[:, 0] >= 0, first[:, 0], first[:, 1])
    stamp = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    dated = np.flatnonzero(day_at >= 0)
    stamp[dated] = _calendar_days(data, day_at[dated])
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
        stamp[idx] = _iso_days(h_day.cast(pa.large_string()))
    return url, stamp


def _calendar_days(data: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The ``YYYY-MM-DD`` texts starting at byte positions ``at`` of ``data`` as
    ``datetime64[s]``; NaT for one that is no day on the calendar (``2023-02-30``)."""
    def number(*places: int) -> np.ndarray:
        value = np.zeros(len(at), dtype=np.int64)
        for k in places:
            value = value * 10 + (data[at + k] - 48)
        return value

    year, month, dom = number(0, 1, 2, 3), number(5, 6), number(8, 9)
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (dom >= 1)
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    ok &= dom <= length
    out = np.full(len(at), np.datetime64("NaT"), dtype="datetime64[s]")
    out[ok] = (first[ok] + (dom[ok] - 1)).astype("datetime64[s]")
    return out


def _iso_days(day) -> np.ndarray:
    """``YYYY-MM-DD`` texts (an Arrow large_string array; null where there is none) as
    ``datetime64[s]``, NaT where the text is null or no day on the calendar."""
    n = len(day)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    if n == 0 or day.buffers()[2] is None:
        return out
    offsets = np.frombuffer(day.buffers()[1], dtype=np.int64)[day.offset:day.offset + n + 1]
    data = np.frombuffer(day.buffers()[2], dtype=np.uint8)
    valid = day.is_valid().to_numpy(zero_copy_only=False) & (np.diff(offsets) == 10)
    at = np.flatnonzero(valid)
    out[at] = _calendar_days(data, offsets[at])
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


#: Rows read at a time: each slice's scratch arrays are a few megabytes, so the allocators
#: reuse them instead of asking the system for fresh pages (measured: fewer page faults).
_SLICE = 65_536


def _read_cells(text):
    """The sources cells ``text`` (an Arrow large_string array without nulls), read: per cell
    its items joined by ``"; "``, its URLs joined by ``" "`` (two Arrow arrays), the number of
    sources, whether an item lacks a URL, whether one lacks a date, and the earliest day."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n_rows = len(text)
    lists = pc.split_pattern(text, ";")
    counts = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
    items = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    row = np.repeat(np.arange(n_rows), counts)
    nonempty = pc.not_equal(items, "").to_numpy(zero_copy_only=False)
    items = items.filter(pa.array(nonempty))
    row = row[nonempty]
    url, stamp = _url_and_day(items)
    has_url = pc.is_valid(url).to_numpy(zero_copy_only=False)
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
    return source_list, source_urls, n, without_url, undated, earliest


class SourceCells(NamedTuple):
    """A ``sources`` column read (:func:`read_source_cells`), one value per row."""

    source_list: object  # Arrow chunked large_string: the items joined by "; "
    source_urls: object  # Arrow chunked large_string: their URLs joined by " "
    n: np.ndarray
    without_url: np.ndarray
    undated: np.ndarray
    earliest: np.ndarray  # datetime64[s]


def read_source_cells(values: pd.Series) -> SourceCells:
    """Read a ``sources`` column (the work of :func:`parse_sources`, without touching a frame).

    Vectorised with Arrow's string kernels and numpy byte scans over all items of a slice of
    rows at a time, two slices at once. Both let go of Python's lock, so the pipeline runs
    this in a thread of its own while the other cleaning steps run."""
    import pyarrow as pa

    text = to_arrow_text(values, missing_as_empty=True)
    slices = [text.slice(start, _SLICE) for start in range(0, len(text), _SLICE)] or [text]
    if len(slices) > 1:  # numpy and Arrow let go of the GIL: two slices at a time
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            pieces = list(pool.map(_read_cells, slices))
    else:
        pieces = [_read_cells(slices[0])]
    source_list, source_urls = (pa.chunked_array([p[k] for p in pieces], pa.large_string())
                                for k in (0, 1))
    n, without_url, undated, earliest = (np.concatenate([p[k] for p in pieces])
                                         for k in (2, 3, 4, 5))
    return SourceCells(source_list, source_urls, n, without_url, undated, earliest)


def parse_sources(frame: pd.DataFrame, column: str = "sources", *,
                  cells: SourceCells | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``source_list``, ``source_urls``, ``n_sources`` and ``source_date_earliest``.

    ``cells`` is ``read_source_cells(frame[column])`` when already read (the pipeline reads it
    while the other steps run). Sources cells are nearly all distinct, so parsing each
    distinct value once would not help; :func:`parse_source_text` reads one cell the same way,
    and a test holds the two to the same answers. Nothing in the cell is changed, so nothing is
    logged; flags say what a reviewer should check.

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3], "flags": "",
    ...     "problem_codes": "", "problem_messages": "",
    ...     "sources": ["Rudaw 2023-10-24 https://r.example/1", ""]})
    >>> out, _ = parse_sources(df)
    >>> out[["n_sources", "problem_codes"]].values.tolist()
    [[1, ''], [0, 'missing_sources']]
    """
    if cells is None:
        cells = read_source_cells(frame[column])
    if len(cells.n) != len(frame):
        raise ValueError(f"cells read from {len(cells.n)} rows, the frame has {len(frame)}")
    n = cells.n
    out = frame.assign(
        source_list=str_series(cells.source_list, frame.index),
        source_urls=str_series(cells.source_urls, frame.index),
        n_sources=pd.Series(n, index=frame.index, dtype="int64"),
        source_date_earliest=pd.Series(cells.earliest, index=frame.index),
    )
    flags = append_code(out[FLAGS], cells.without_url & (n > 0), "source_without_url")
    flags = append_code(flags, cells.undated & (n > 0), "source_undated")
    out = out.assign(**{FLAGS: flags})
    missing = n == 0
    if missing.any():
        out = problem(out, missing, "missing_sources",
                      f"{column}: blank; every row must name the source it was coded from")
    return out, empty_changes()
