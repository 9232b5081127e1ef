"""Weapons: the coder's text -> ``weapon_class`` from a closed list, raw text kept.

Keywords come from ``weapons.csv`` (a word or phrase, its class, and a class it subsumes: a
``ballistic missile`` is not also a ``rocket``; an ``AC-130`` strike is a ``gunship``, not also an
``airstrike``). One class found gives that class; two or more give ``mixed``; none gives
``unknown`` (flagged ``unknown_weapon`` when the text was not blank).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..reference import checked_table, load_weapons
from ._log import FLAGS, append_code, log_changes, map_unique, text_column
from .text import normalise_text

__all__ = ["WEAPON_CLASSES", "classify_weapon", "classify_weapons"]

WEAPON_CLASSES = ["drone", "rocket", "ballistic missile", "mortar", "airstrike", "gunship",
                  "small arms", "explosive device", "mixed", "unknown"]


def _weapons(table: pd.DataFrame | None) -> pd.DataFrame:
    """The package's keyword table, or a researcher's, checked (``subsumes`` optional)."""
    if table is None:
        return load_weapons()
    return checked_table(table, "weapons", ["pattern", "weapon_class"], ("subsumes",),
                         nonblank=("pattern", "weapon_class"))


def _patterns(weapons: pd.DataFrame) -> list[tuple[re.Pattern[str], str, str]]:
    return [(re.compile(r"(?<!\w)" + re.escape(p.casefold()) + r"(?!\w)"), c, s)
            for p, c, s in zip(weapons["pattern"], weapons["weapon_class"], weapons["subsumes"],
                               strict=True)]


def classify_weapon(text: str, weapons: pd.DataFrame | None = None,
                    _patterns_: list | None = None) -> str:
    """Return the weapon class of one text.

    Examples
    --------
    >>> classify_weapon("one-way attack drones")
    'drone'
    >>> classify_weapon("close-range ballistic missile")
    'ballistic missile'
    >>> classify_weapon("drones and rockets")
    'mixed'
    >>> classify_weapon("AC-130 gunship airstrike")
    'gunship'
    >>> classify_weapon("")
    'unknown'
    """
    patterns = _patterns_ if _patterns_ is not None else _patterns(_weapons(weapons))
    t = normalise_text(text).casefold()
    found, absorbed = set(), set()
    for rx, cls, subsumes in patterns:
        if rx.search(t):
            found.add(cls)
            if subsumes:
                absorbed.add(subsumes)
    found -= absorbed
    if not found:
        return "unknown"
    return found.pop() if len(found) == 1 else "mixed"


def classify_weapons(frame: pd.DataFrame, column: str = "weapon",
                     weapons: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``weapon_class``; log each interpretation under rule ``weapon_keyword``.

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3], "flags": "",
    ...                    "weapon": ["Katyusha rockets", "slingshot"]})
    >>> out, changes = classify_weapons(df)
    >>> out[["weapon_class", "flags"]].values.tolist()
    [['rocket', ''], ['unknown', 'unknown_weapon']]
    """
    patterns = _patterns(_weapons(weapons))
    codes, found, raw_u = map_unique(frame[column],
                                     lambda t: classify_weapon(t, _patterns_=patterns))
    clean_u = np.array(found, dtype=object)
    blank_u = np.array([not r.strip() for r in raw_u], dtype=bool)
    rule_u = np.where(blank_u | (clean_u == raw_u), "", "weapon_keyword")
    out = frame.assign(weapon_class=text_column(clean_u, codes, frame.index))
    if len(codes):
        unknown = ((clean_u == "unknown") & ~blank_u)[codes]
        out = out.assign(**{FLAGS: append_code(out[FLAGS], unknown, "unknown_weapon")})
    return out, log_changes(frame, column, codes, raw_u, clean_u, rule_u)
