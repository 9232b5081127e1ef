"""Casualty text -> ``killed_low/best/high`` and ``injured_low/best/high`` (nullable integers).

The written rule, in the spirit of ACLED's conservative coding and UCDP's low/best/high:

- Blank text means *not reported*: every count is missing. ``NA``, ``n/a``, ``null``, ``-``,
  ``unknown`` and ``not reported`` mean the same (rule ``not_reported_token``).
- ``no casualties``, ``none``, ``0`` are zeros for both; ``no injuries`` is zero injured and,
  since nobody was hurt, zero killed (rule ``no_injuries_implies_no_deaths``); ``no deaths`` is
  zero killed only.
- Text splits into clauses at commas, semicolons, ``and``, ``plus`` and ``including``; each clause
  needs a category word (killed: killed, dead, died, deaths, fatalities...; injured: injured,
  wounded, hurt, TBI, concussions...) and a quantity.
- Quantities: ``1,200`` (thousands separators); ``3-5`` or ``3 to 5`` (low 3, best 3, high 5);
  ``25-40+`` (low and best 25, no high: the top of the range is itself open);
  ``at least 40`` and ``40+`` (low and best 40, no high); ``more than 40`` and ``over 40``
  (low and best 41, no high); ``about 20`` and ``~20`` (best 20, low and high missing);
  ``up to 5`` (high 5 only); number words and vague words from ``casualty_words.csv``
  (``several`` = low and best 3; ``dozens`` = 12; ``tens`` = 10, as ACLED codes them).
- A category word with no number (``minor injuries``, ``a soldier was wounded``) is at least
  one: low and best 1, no high.
- Parenthesised detail (``21 injured (19 TBI)``) is a subset and is not added; clauses such as
  ``one critically`` that qualify an earlier count are not added either.
- Several clauses of the same category are added up (rule ``summed_clauses``).
- Arabic-Indic digits are read as digits; common Arabic words are known.
- A negative, fractional or unlabelled number, a number above 1,000,000 (``_MAX_COUNT``: no
  single attack comes near it, so it is a typing slip or a pasted id), a count of
  ``casualties`` that does not say killed or injured, or text with no count and no category
  word at all (``#REF!``, ``minor damage``) never becomes a count: the counts stay missing
  and the row is flagged ``casualties_unparsed`` with the reason in the change log.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..reference import load_casualty_words
from ._log import FLAGS, append_code, log_changes, map_unique
from .text import normalise_text

__all__ = ["parse_casualty_text", "parse_casualties", "CasualtyReading", "COUNT_COLUMNS"]

COUNT_COLUMNS = ["killed_low", "killed_best", "killed_high",
                 "injured_low", "injured_best", "injured_high"]

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_KILLED = (r"killed|kill|killing|kills|dead|deaths?|died|dies|fatalit(?:y|ies)|fatal|kia|"
           r"martyr(?:s|ed)?|lives? lost|(?:ال)?(?:قتيل|قتلى|شهيد|شهداء)|مقتل|قتل")
_INJURED = (r"injured|injur(?:y|ies)|injuring|wounded|wounding|wounds?|hurt|tbi|"
            r"traumatic brain injur(?:y|ies)|concussions?|(?:ال)?(?:جريح|جرحى|مصاب|مصابين)|"
            r"إصابة|إصابات|اصابة|اصابات|جرح")
_BOTH = r"casualt(?:y|ies)|ضحايا"
_QUALIFIER = (r"critically|seriously|severely|minor|minorly|lightly|slightly|moderately|"
              r"life-threatening|serious|critical|stable|returned to duty|rtd")
_NOT_REPORTED = {"na", "n/a", "n.a.", "null", "-", "--", "?", "unknown", "not reported",
                 "unreported", "not known", "nan", "غير معروف"}
_NONE = {"none", "nil", "0", "zero", "no", "لا يوجد"}
_NEGATION = re.compile(
    r"\b(?:no|zero|without|nobody|no one|not any)\b(?:\s+[\w.-]+){0,3}?\s*"
    rf"(?P<cat>{_KILLED}|{_INJURED}|{_BOTH}|killed or (?:injured|wounded))\b"
    r"|(?:لا|دون|بدون|لم)\s+(?:\S+\s+){0,3}?(?P<ar>إصابات|خسائر|ضحايا|اصابات)")
_NUM = r"\d{1,3}(?:,\d{3})+|\d+"
#: The largest number read as a count; a larger one is a problem, never a count (and never
#: an integer the count columns cannot hold).
_MAX_COUNT = 1_000_000
_SPLIT = re.compile(r",(?!\d{3}(?!\d))|;|،|\band\b|\bplus\b|\bincluding\b|(?<!\S)و(?!\S)")


class CasualtyReading(NamedTuple):
    """One casualty text's reading: six counts (None when missing), the rules, a problem."""

    killed_low: int | None
    killed_best: int | None
    killed_high: int | None
    injured_low: int | None
    injured_best: int | None
    injured_high: int | None
    rule: str
    problem: str


def _words() -> dict[str, tuple[int | None, int | None, int | None, str]]:
    table = load_casualty_words()
    as_int = lambda s: int(s) if s else None  # noqa: E731
    return {w: (as_int(lo), as_int(b), as_int(hi), r) for w, lo, b, hi, r in zip(
        table["word"], table["low"], table["best"], table["high"], table["rule"], strict=True)}


def _quantity(clause: str, words: dict) -> tuple[tuple | None, str, str]:
    """Find a quantity in a clause: ((low, best, high), rule, problem)."""
    if re.search(r"(?<![\w-])-\s*\d", clause) and not re.search(rf"({_NUM})\s*-\s*\d", clause):
        return None, "", "negative number"
    if re.search(r"\d+[.]\d+", clause):
        return None, "", "fractional number"
    digits = (x.replace(",", "").lstrip("0") for x in re.findall(_NUM, clause))
    if any(len(d) > len(str(_MAX_COUNT)) or int(d or 0) > _MAX_COUNT for d in digits):
        return None, "", f"number above {_MAX_COUNT:,}"
    m = re.search(rf"({_NUM})\s*(?:-|to)\s*({_NUM})(\s*\+|\s+or more)?", clause)
    if m:
        lo, hi = (int(x.replace(",", "")) for x in m.groups()[:2])
        if hi < lo:
            return None, "", "range whose high is below its low"
        if m[3]:  # "25-40+": the reports run from 25 to at least 40, so no high is known
            return (lo, lo, None), "range_open", ""
        return (lo, lo, hi), "range", ""
    m = re.search(rf"(?:at least|a minimum of|no fewer than|no less than)\s*({_NUM})|({_NUM})\s*\+"
                  rf"|({_NUM})\s+or more", clause)
    if m:
        n = int(next(g for g in m.groups() if g).replace(",", ""))
        return (n, n, None), "at_least", ""
    m = re.search(rf"(?:more than|over|upwards of|in excess of)\s*({_NUM})", clause)
    if m:
        n = int(m[1].replace(",", "")) + 1
        return (n, n, None), "more_than", ""
    m = re.search(rf"(?:about|around|approximately|approx\.?|roughly|some|~|nearly|almost|"
                  rf"close to)\s*({_NUM})", clause)
    if m:
        return (None, int(m[1].replace(",", "")), None), "approximate", ""
    m = re.search(rf"(?:up to|as many as)\s*({_NUM})", clause)
    if m:
        return (None, None, int(m[1].replace(",", ""))), "up_to", ""
    nums = re.findall(_NUM, clause)
    if len(nums) > 1:
        return None, "", "more than one number in a clause"
    if nums:
        n = int(nums[0].replace(",", ""))
        return (n, n, n), "number", ""
    for word in sorted(words, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", clause):
            lo, best, hi, rule = words[word]
            return (lo, best, hi), rule, ""
    return None, "", ""


def _add(a: tuple, b: tuple) -> tuple:
    return tuple(None if x is None or y is None else x + y for x, y in zip(a, b, strict=True))


def parse_casualty_text(text: str, words: dict | None = None) -> CasualtyReading:
    """Read one casualty text. See the module's docstring for the rule.

    Examples
    --------
    >>> parse_casualty_text("3 killed, 40+ injured")[:6]
    (3, 3, 3, 40, 40, None)
    >>> parse_casualty_text("21 injured (19 TBI)")[3:6]
    (21, 21, 21)
    >>> parse_casualty_text("no injuries")[:6]
    (0, 0, 0, 0, 0, 0)
    >>> parse_casualty_text("")[:6]
    (None, None, None, None, None, None)
    >>> parse_casualty_text("25-34 injured")[3:6]
    (25, 25, 34)
    >>> parse_casualty_text("several wounded")[3:7]
    (3, 3, None, 'vague_several')
    >>> parse_casualty_text("٣ قتلى")[:3]
    (3, 3, 3)
    >>> parse_casualty_text("-2 killed").problem
    'killed: negative number'
    """
    words = _words() if words is None else words
    t = normalise_text(text).translate(_DIGITS).casefold()
    none = (None, None, None)
    if not t:
        return CasualtyReading(*none, *none, "", "")
    if t in _NOT_REPORTED:
        return CasualtyReading(*none, *none, "not_reported_token", "")
    if t in _NONE:
        return CasualtyReading(0, 0, 0, 0, 0, 0, "none_is_zero", "")
    killed: tuple | None = None
    injured: tuple | None = None
    rules: list[str] = []
    problems: list[str] = []
    zero_injured = False
    body = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", t)  # parenthesised detail is a subset
    if body != t:
        rules.append("parenthetical_ignored")
    for clause in (c.strip() for c in _SPLIT.split(body)):
        if not clause:
            continue
        neg = _NEGATION.search(clause)
        if neg:
            cat = neg["cat"] or ""
            if neg["ar"] or re.fullmatch(_BOTH, cat) or "or" in cat:
                killed, injured = (0, 0, 0), (0, 0, 0)
                rules.append("no_casualties")
            elif re.fullmatch(_KILLED, cat):
                killed = (0, 0, 0)
                rules.append("no_deaths")
            else:
                injured, zero_injured = (0, 0, 0), True
                rules.append("no_injuries")
            continue
        is_killed = re.search(rf"(?<!\w)(?:{_KILLED})(?!\w)", clause)
        is_injured = re.search(rf"(?<!\w)(?:{_INJURED})(?!\w)", clause)
        is_both = re.search(rf"(?<!\w)(?:{_BOTH})(?!\w)", clause)
        qty, rule, prob = _quantity(clause, words)
        if not (is_killed or is_injured or is_both):
            if qty is None and not prob:
                continue  # words with no number and no category: nothing to count
            if re.search(rf"(?<!\w)(?:{_QUALIFIER})(?!\w)", clause) and (killed or injured):
                rules.append("qualifier_ignored")
                continue
            problems.append(f"unlabelled number in {clause!r}")
            continue
        if is_killed and is_injured:
            problems.append(f"one number for both killed and injured in {clause!r}")
            continue
        if is_both and not (is_killed or is_injured):
            problems.append(f"'casualties' does not say killed or injured in {clause!r}")
            continue
        cat = "killed" if is_killed else "injured"
        if prob:
            problems.append(f"{cat}: {prob}")
            if cat == "killed":
                killed = None
            continue
        if qty is None:
            qty, rule = (1, 1, None), "unquantified_at_least_one"
        rules.append(rule)
        current = killed if cat == "killed" else injured
        if current is not None and current != (0, 0, 0):
            qty = _add(current, qty)
            rules.append("summed_clauses")
        if cat == "killed":
            killed = qty
        else:
            injured = qty
    if killed is None and injured is None and not problems and not rules:
        problems.append(f"no count and no killed/injured word in {t!r}")
    bad_killed = any(p.startswith("killed:") for p in problems)
    bad_injured = any(p.startswith("injured:") for p in problems)
    if zero_injured and killed is None and not bad_killed:
        killed = (0, 0, 0)
        rules.append("no_injuries_implies_no_deaths")
    if bad_killed:
        killed = None
    if bad_injured:
        injured = None
    return CasualtyReading(*(killed or none), *(injured or none),
                           ";".join(dict.fromkeys(rules)), "; ".join(problems))


def _fmt(lo: int | None, best: int | None, hi: int | None) -> str:
    return "/".join("NA" if v is None else str(v) for v in (lo, best, hi))


def parse_casualties(frame: pd.DataFrame, column: str = "casualties",
                     words: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add the six count columns (``Int64``); log each reading with its rule.

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3, 4], "flags": "",
    ...                    "casualties": ["8 injured (TBI)", "", "5"]})
    >>> out, changes = parse_casualties(df)
    >>> out["injured_best"].tolist()
    [8, <NA>, <NA>]
    >>> out["flags"].tolist()
    ['', '', 'casualties_unparsed']
    >>> changes[["source_row", "clean_value"]].values.tolist()
    [[2, 'killed NA/NA/NA; injured 8/8/8'], [4, 'unparsed: unlabelled number in "5"']]
    """
    table = _words() if words is None else {
        w: (int(lo) if lo else None, int(b) if b else None, int(hi) if hi else None, r)
        for w, lo, b, hi, r in zip(words["word"], words["low"], words["best"], words["high"],
                                   words["rule"], strict=True)}
    codes, found, raw_u = map_unique(frame[column], lambda t: parse_casualty_text(t, table))
    counts = {}
    for i, name in enumerate(COUNT_COLUMNS):
        per_unique = pd.array([f[i] for f in found], dtype="Int64")
        counts[name] = pd.Series(per_unique.take(codes) if len(codes) else per_unique[:0],
                                 index=frame.index)
    out = frame.assign(**counts)
    problem_u = np.array([f.problem for f in found], dtype=object)
    clean_u = np.array([
        (f"unparsed: {f.problem}".replace("'", '"') if f.problem and all(
            v is None for v in f[:6]) else
         f"killed {_fmt(*f[0:3])}; injured {_fmt(*f[3:6])}"
         + (f"; unparsed: {f.problem}" if f.problem else ""))
        for f in found], dtype=object)
    rule_u = np.array([
        ("casualties_unparsed" + (";" + f.rule if f.rule else "")) if f.problem else f.rule or (
            "casualty_count" if r.strip() else "")
        for f, r in zip(found, raw_u, strict=True)], dtype=object)
    if len(codes):
        out = out.assign(**{FLAGS: append_code(out[FLAGS], (problem_u != "")[codes],
                                               "casualties_unparsed")})
    return out, log_changes(frame, column, codes, raw_u, clean_u, rule_u)
