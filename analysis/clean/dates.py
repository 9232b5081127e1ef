"""Dates with their precision: the coder's text -> ``date_start``, ``date_end``, ``date_precision``.

Rules (each interpretation is logged in the change log under the rule's name):

- ISO dates (``2023-10-18``) are days; ``2023-10`` is a month; ``2023-10-18/2023-10-19`` a range.
- Written dates (``18 Oct 2023``, ``October 18, 2023``), day ranges (``18-19 Oct 2023``,
  ``30 Oct - 2 Nov 2023``) and months (``Oct 2023``).
- ``early``/``mid``/``late`` a month covers days 1-10, 11-20 and 21-end (flag ``vague_date``);
  ``week of D`` covers D and the six days after it; a bare year covers the year (``vague_date``);
  ``around``/``about``/``c.`` before a date keeps the date and flags ``approximate_date``.
- Numeric dates (``18/10/2023``, ``10.18.23``): a day above 12 settles the order. When both
  numbers are 12 or less, the order the same file uses unambiguously decides it (rule
  ``numeric_dmy_from_file`` or ``numeric_mdy_from_file``); a file with no evidence, or with both
  orders, sends the row to quarantine (``ambiguous_date``) unless the caller states
  ``date_order``. Two-digit years are 20YY (rule ``two_digit_year``).
- Spreadsheet serial numbers (``45217``) count days from 1899-12-30 (rule ``excel_serial``).
- Timestamps keep their date (``timestamp_midnight``, or ``timestamp_time_dropped``).
- A date that is not on the calendar, or a range that ends before it starts, goes to quarantine
  (``impossible_date``); text that is no date at all goes to quarantine (``unparseable_date``);
  dates after ``today`` are flagged ``future_date``. No date is ever taken from today's date.
- Arabic-Indic digits are read as digits (the rule gains ``+arabic_digits``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._log import (
    FLAGS,
    append_code,
    empty_changes,
    factorize_text,
    log_changes,
    map_unique,
    problem,
    text_column,
)

__all__ = ["parse_date", "parse_dates", "ParsedDate"]

_MONTHS = {name: i for i in range(1, 13)
           for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())}
_MONTHS["sept"] = 9
_MON = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_D = r"(\d{1,2})"
_Y = r"(\d{4})"
_SEP = r"\s*(?:-|to|until|/|\.\.|&|and)\s*"
_ISO = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class ParsedDate(NamedTuple):
    """One date text's reading."""

    start: dt.date | None
    end: dt.date | None
    precision: str  # day, range, week, month, or "" when unusable
    rule: str  # what interpretation was applied ("" when the text was already an ISO day)
    problem: str  # quarantine reason code, "" when usable
    message: str  # the problem in words
    evidence: str  # "dmy" or "mdy" when an unambiguous numeric date shows the file's order
    alt: dt.date | None = None  # for an ambiguous numeric date: the month-first reading
    flag: str = ""


def _bad(code: str, message: str) -> ParsedDate:
    return ParsedDate(None, None, "", "", code, message, "")


def _day(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _written(text: str) -> ParsedDate | None:
    t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.lower())
    t = re.sub(r"[,]", " ", t)
    t = re.sub(r"\b([a-z]{3,9})\.", r"\1", t)
    t = re.sub(r"\s+", " ", t).strip()
    mon = lambda s: _MONTHS[s]  # noqa: E731
    m = re.fullmatch(rf"{_D} {_MON} {_Y}", t)
    if m:
        d = _day(int(m[3]), mon(m[2]), int(m[1]))
        return ParsedDate(d, d, "day", "written_date", "", "", "")
    m = re.fullmatch(rf"{_MON} {_D} {_Y}", t)
    if m:
        d = _day(int(m[3]), mon(m[1]), int(m[2]))
        return ParsedDate(d, d, "day", "written_date", "", "", "")
    m = re.fullmatch(rf"{_D}{_SEP}{_D} {_MON} {_Y}", t)
    if m:
        y, mo = int(m[4]), mon(m[3])
        return _range(_day(y, mo, int(m[1])), _day(y, mo, int(m[2])), "day_range")
    m = re.fullmatch(rf"{_MON} {_D}{_SEP}{_D} {_Y}", t)
    if m:
        y, mo = int(m[4]), mon(m[1])
        return _range(_day(y, mo, int(m[2])), _day(y, mo, int(m[3])), "day_range")
    m = re.fullmatch(rf"{_D} {_MON}{_SEP}{_D} {_MON} {_Y}", t)
    if m:
        y = int(m[5])
        return _range(_day(y, mon(m[2]), int(m[1])), _day(y, mon(m[4]), int(m[3])), "day_range")
    m = re.fullmatch(rf"{_D} {_MON} {_Y}{_SEP}{_D} {_MON} {_Y}", t)
    if m:
        return _range(_day(int(m[3]), mon(m[2]), int(m[1])),
                      _day(int(m[6]), mon(m[5]), int(m[4])), "day_range")
    m = re.fullmatch(rf"{_MON} {_Y}", t)
    if m:
        y, mo = int(m[2]), mon(m[1])
        return ParsedDate(_day(y, mo, 1), _month_end(y, mo), "month", "month_only", "", "", "")
    m = re.fullmatch(rf"(early|beginning of|mid|middle of|late|end of) {_MON} {_Y}", t)
    if m:
        y, mo = int(m[3]), mon(m[2])
        part = m[1].split()[0]
        lo, hi = {"early": (1, 10), "beginning": (1, 10), "mid": (11, 20), "middle": (11, 20),
                  "late": (21, 31), "end": (21, 31)}[part]
        end = min(hi, calendar.monthrange(y, mo)[1])
        return ParsedDate(_day(y, mo, lo), _day(y, mo, end), "range", "vague_part_of_month",
                          "", "", "", flag="vague_date")
    return None


def _range(start: dt.date, end: dt.date, rule: str) -> ParsedDate:
    if end < start:
        return _bad("impossible_date", f"the range ends ({end}) before it starts ({start})")
    precision = "day" if start == end else "range"
    return ParsedDate(start, end, precision, rule, "", "", "")


def _numeric(a: int, b: int, y: int, two_digit: bool) -> ParsedDate:
    rule_y = "+two_digit_year" if two_digit else ""
    if a > 12 and b > 12:
        return _bad("impossible_date", "neither number can be a month")
    if a > 12:
        d = _day(y, b, a)
        return ParsedDate(d, d, "day", "numeric_dmy_unambiguous" + rule_y, "", "", "dmy")
    if b > 12:
        d = _day(y, a, b)
        return ParsedDate(d, d, "day", "numeric_mdy_unambiguous" + rule_y, "", "", "mdy")
    if a == b:
        d = _day(y, a, b)
        return ParsedDate(d, d, "day", "numeric_same_either_order" + rule_y, "", "", "")
    dmy, mdy = _day(y, b, a), _day(y, a, b)
    return ParsedDate(dmy, dmy, "day", "numeric_ambiguous" + rule_y, "", "", "", alt=mdy)


#: The longest text read as a date.
_LONGEST = 100


def parse_date(text: str) -> ParsedDate:
    """Read one date text. See the module's docstring for the rules.

    Examples
    --------
    >>> parse_date("18-19 Oct 2023")[:4]
    (datetime.date(2023, 10, 18), datetime.date(2023, 10, 19), 'range', 'day_range')
    >>> parse_date("Nov 2023")[:3]
    (datetime.date(2023, 11, 1), datetime.date(2023, 11, 30), 'month')
    >>> parse_date("31 Feb 2024").problem
    'impossible_date'
    >>> p = parse_date("03/11/2023"); (p.start, p.alt, p.rule)
    (datetime.date(2023, 11, 3), datetime.date(2023, 3, 11), 'numeric_ambiguous')
    """
    t = text.strip()
    if not t:
        return _bad("missing_date", "the date is blank")
    if len(t) > _LONGEST:  # also bounds the nesting of prefixes such as "~" or "week of"
        return _bad("unparseable_date", f"{t[:40]!r}... is too long to be a date (over "
                    f"{_LONGEST} characters)")
    ascii_digits = t.translate(_DIGITS)
    try:
        parsed = _parse(ascii_digits)
    except ValueError:
        return _bad("impossible_date", f"{t!r} is not a date on the calendar")
    except OverflowError:  # a week or range that runs past 9999-12-31
        return _bad("impossible_date", f"{t!r} runs past the last date this reader holds "
                    "(9999-12-31)")
    if ascii_digits != t and not parsed.problem:
        parsed = parsed._replace(rule=(parsed.rule + "+arabic_digits").lstrip("+"))
    return parsed


def _parse(t: str) -> ParsedDate:
    m = re.fullmatch(_ISO, t)
    if m:
        d = _day(int(m[1]), int(m[2]), int(m[3]))
        canonical = d.isoformat() == t
        return ParsedDate(d, d, "day", "" if canonical else "iso_date_padded", "", "", "")
    m = re.fullmatch(_ISO + r"[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", t)
    if m:
        d = _day(int(m[1]), int(m[2]), int(m[3]))
        midnight = int(m[4]) == 0 and int(m[5]) == 0 and int(m[6] or 0) == 0
        return ParsedDate(d, d, "day", "timestamp_midnight" if midnight else
                          "timestamp_time_dropped", "", "", "")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", t)
    if m:
        y, mo = int(m[1]), int(m[2])
        return ParsedDate(_day(y, mo, 1), _month_end(y, mo), "month", "month_only", "", "", "")
    m = re.fullmatch(_ISO + r"\s*(?:/|\.\.|\bto\b|-|–)\s*" + _ISO, t)
    if m:
        return _range(_day(int(m[1]), int(m[2]), int(m[3])),
                      _day(int(m[4]), int(m[5]), int(m[6])), "iso_range")
    m = re.fullmatch(r"(\d{4})-?W(\d{2})", t, flags=re.I)
    if m:
        start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return ParsedDate(start, start + dt.timedelta(days=6), "week", "iso_week", "", "", "")
    m = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", t)
    if m:
        d = _day(int(m[1]), int(m[2]), int(m[3]))
        return ParsedDate(d, d, "day", "numeric_ymd", "", "", "")
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})", t)
    if m:
        y = int(m[3])
        return _numeric(int(m[1]), int(m[2]), 2000 + y if len(m[3]) == 2 else y, len(m[3]) == 2)
    m = re.fullmatch(r"(\d{5})(\.\d+)?", t)
    if m and 20000 <= int(m[1]) <= 80000:
        d = dt.date(1899, 12, 30) + dt.timedelta(days=int(m[1]))
        exact = not m[2] or float(m[2]) == 0
        return ParsedDate(d, d, "day", "excel_serial" if exact else "excel_serial_time_dropped",
                          "", "", "")
    m = re.fullmatch(r"(\d{4})", t)
    if m and 1900 <= int(m[1]) <= 2100:
        y = int(m[1])
        return ParsedDate(dt.date(y, 1, 1), dt.date(y, 12, 31), "range", "year_only", "", "",
                          "", flag="vague_date")
    m = re.fullmatch(r"(?:week of|week beginning|w/c|wc)\s+(.+)", t, flags=re.I)
    if m:
        inner = _parse(m[1])
        if inner.precision == "day" and inner.start is not None and not inner.alt:
            return ParsedDate(inner.start, inner.start + dt.timedelta(days=6), "week", "week_of",
                              "", "", inner.evidence)
    m = re.fullmatch(r"(?:around|about|approx\.?|approximately|circa|c\.|ca\.|~)\s*(.+)", t,
                     flags=re.I)
    if m:
        inner = _parse(m[1])
        if not inner.problem:
            return inner._replace(rule=(inner.rule + "+approximate").lstrip("+"),
                                  flag="approximate_date")
    written = _written(t)
    if written is not None:
        return written
    return _bad("unparseable_date", f"{t!r} is not a date this reader knows "
                "(write it as 2023-10-18, 18 Oct 2023, 18-19 Oct 2023 or Oct 2023)")


def parse_dates(frame: pd.DataFrame, column: str = "date", *, date_order: str | None = None,
                today: dt.date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``date_start``, ``date_end`` and ``date_precision`` from ``column``.

    Parameters
    ----------
    frame
        Rows with ``source_file``, ``source_row``, ``flags``, ``problem_codes``,
        ``problem_messages`` and the date column.
    date_order
        ``"dmy"`` or ``"mdy"`` to settle numeric dates whose order is ambiguous; by default the
        order the same file uses unambiguously, or quarantine.
    today
        Dates after this day are flagged ``future_date`` (default: the day it runs).

    Returns
    -------
    (frame, changes)

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3, 4],
    ...                    "date": ["25/10/2023", "03/11/2023", "Oct 2023"],
    ...                    "flags": "", "problem_codes": "", "problem_messages": ""})
    >>> out, changes = parse_dates(df, today=dt.date(2024, 1, 1))
    >>> out[["date_start", "date_end", "date_precision"]].astype(str).values.tolist()
    [['2023-10-25', '2023-10-25', 'day'], ['2023-11-03', '2023-11-03', 'day'], \
['2023-10-01', '2023-10-31', 'month']]
    >>> changes["rule"].tolist()
    ['numeric_dmy_unambiguous', 'numeric_dmy_from_file', 'month_only']
    """
    if date_order not in (None, "dmy", "mdy"):
        raise ValueError("date_order must be 'dmy', 'mdy' or None")
    today = dt.date.today() if today is None else today
    codes, parsed, raw_u = map_unique(frame[column], parse_date)
    n, n_u = len(frame), len(parsed)

    def per_unique(values, dtype=object) -> np.ndarray:
        arr = np.empty(n_u, dtype=dtype)
        arr[:] = values
        return arr

    nat = np.datetime64("NaT", "D")
    start_u = per_unique([np.datetime64(p.start, "D") if p.start else nat for p in parsed],
                         "datetime64[D]")
    end_u = per_unique([np.datetime64(p.end, "D") if p.end else nat for p in parsed],
                       "datetime64[D]")
    alt_u = per_unique([np.datetime64(p.alt, "D") if p.alt else nat for p in parsed],
                       "datetime64[D]")
    rule_u = per_unique([p.rule for p in parsed])
    precision_u = per_unique([p.precision for p in parsed])
    # A row's reading is one of 3 * n_u variants of its distinct text: as parsed (code), read
    # month-first (code + n_u) or left unresolved (code + 2 n_u); everything below is built per
    # variant and broadcast by these codes.
    variant = codes.astype(np.intp, copy=True)
    ambiguous_u = ~np.isnat(alt_u)
    ambiguous = ambiguous_u[codes] if n else np.zeros(0, dtype=bool)
    how = ""
    if ambiguous.any():
        evidence_u = per_unique([p.evidence for p in parsed])
        files = frame["source_file"]
        if date_order is None:
            file_codes, file_u = factorize_text(files)
            row_ev = evidence_u[codes]
            dmy_files = np.zeros(len(file_u), dtype=bool)
            mdy_files = np.zeros(len(file_u), dtype=bool)
            dmy_files[np.unique(file_codes[row_ev == "dmy"])] = True
            mdy_files[np.unique(file_codes[row_ev == "mdy"])] = True
            order_f = np.where(dmy_files & ~mdy_files, "dmy",
                               np.where(mdy_files & ~dmy_files, "mdy", ""))
            row_order = order_f[file_codes]
            how = "from_file"
        else:
            row_order = np.full(n, date_order, dtype=object)
            how = "given"
        variant[ambiguous & (row_order == "mdy")] += n_u
        variant[ambiguous & (row_order != "mdy") & (row_order != "dmy")] += 2 * n_u

    # per variant: start, end, precision, rule
    v_start = np.concatenate([start_u, alt_u, np.full(n_u, nat)])
    v_end = np.concatenate([end_u, alt_u, np.full(n_u, nat)])
    v_precision = np.concatenate([precision_u, precision_u, np.full(n_u, "", dtype=object)])
    v_rule = np.concatenate([
        np.array([r.replace("numeric_ambiguous", f"numeric_dmy_{how}") if a else r
                  for r, a in zip(rule_u, ambiguous_u, strict=True)], dtype=object),
        np.array([r.replace("numeric_ambiguous", f"numeric_mdy_{how}") for r in rule_u],
                 dtype=object),
        rule_u])
    start, end = v_start[variant], v_end[variant]
    unresolved = variant >= 2 * n_u

    out = frame.assign(
        date_start=pd.Series(start.astype("datetime64[s]"), index=frame.index),
        date_end=pd.Series(end.astype("datetime64[s]"), index=frame.index),
        date_precision=text_column(v_precision, variant, frame.index),
    )
    # quarantine reasons
    problem_u = per_unique([p.problem for p in parsed])
    message_u = per_unique([f"{column}: {p.message}" for p in parsed])
    for code in ("missing_date", "impossible_date", "unparseable_date"):
        mask = (problem_u == code)[codes] if n else np.zeros(0, dtype=bool)
        if mask.any():
            out = problem(out, mask, code, message_u[codes])
    if unresolved.any():
        msg_u = np.array([f"{column}: {r!r} could be day-first or month-first and the file's "
                          "other dates do not settle the order; write it as YYYY-MM-DD or "
                          "state date_order" for r in raw_u], dtype=object)
        out = problem(out, unresolved, "ambiguous_date", msg_u[codes])
    # flags
    flag_u = per_unique([p.flag for p in parsed])
    flags = out[FLAGS]
    for code in ("vague_date", "approximate_date"):
        flags = append_code(flags, (flag_u == code)[codes] if n else np.zeros(0, bool), code)
    future = (start > np.datetime64(today, "D")) & ~np.isnat(start)
    flags = append_code(flags, future, "future_date")
    out = out.assign(**{FLAGS: flags})

    # change log: one row per cell whose reading differs from its text
    v_text = np.array([
        "" if np.isnat(a) else str(a) if a == b else f"{a}/{b}"
        for a, b in zip(v_start, v_end, strict=True)], dtype=object)
    v_logged = (v_rule != "") & ~np.isnat(v_start)
    logged = v_logged[variant]
    if not logged.any():
        return out, empty_changes()
    v_raw = np.concatenate([raw_u, raw_u, raw_u])
    return out, log_changes(frame, column, variant, v_raw, v_text,
                            np.where(v_logged, v_rule, ""))
