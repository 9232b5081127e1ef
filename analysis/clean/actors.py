"""Actors, targets and claimants through an alias table.

Umbrella names (the Islamic Resistance in Iraq) stay distinct from the member groups they cover:
each canonical name is its own, and ``actor_umbrella`` says which umbrella a member belongs to.
A group's claim (``claimed_by``), an attribution by officials (``attributed_by``) and a US
confirmation (``confirmed_by_us``) stay separate columns. Names not in the table are kept as
written and flagged (``unknown_actor``, ``unknown_target``, ``unknown_claimant``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..reference import checked_table, load_actors
from ._log import (
    FLAGS,
    append_code,
    concat_changes,
    empty_changes,
    factorize_text,
    log_changes,
    map_unique,
    text_column,
)
from .text import normalise_key

__all__ = ["canonical_actor", "normalise_actors", "normalise_confirmation"]

_FLAG = {"actor": "unknown_actor", "target": "unknown_target", "attributed_by": "unknown_actor",
         "claimed_by": "unknown_claimant"}


def _actors(table: pd.DataFrame | None) -> pd.DataFrame:
    """The package's alias table, or a researcher's, checked (``kind`` and ``umbrella``
    optional)."""
    if table is None:
        return load_actors()
    return checked_table(table, "actors", ["alias", "canonical"], ("kind", "umbrella"),
                         nonblank=("alias", "canonical"))


def _index(actors: pd.DataFrame) -> dict[str, tuple[str, str, str]]:
    return {normalise_key(a): (c, k, u) for a, c, k, u in zip(
        actors["alias"], actors["canonical"], actors["kind"], actors["umbrella"], strict=True)}


def canonical_actor(text: str, actors: pd.DataFrame | None = None,
                    _index_: dict | None = None) -> tuple[str, bool]:
    """Return ``(canonical name, known)``; a ``;``-separated list is mapped item by item.

    Examples
    --------
    >>> canonical_actor("Kata'ib Hizballah")
    ('Kataib Hezbollah', True)
    >>> canonical_actor("Islamic Resistance of Iraq; KH")
    ('Islamic Resistance in Iraq; Kataib Hezbollah', True)
    >>> canonical_actor("Saraya Awliya al-Dam")
    ('Saraya Awliya al-Dam', False)
    """
    index = _index_ if _index_ is not None else _index(_actors(actors))
    names, known = [], True
    for item in (p.strip() for p in text.split(";")):
        if not item:
            continue
        hit = index.get(normalise_key(item))
        names.append(hit[0] if hit else item)
        known &= hit is not None
    return "; ".join(dict.fromkeys(names)), known


def normalise_actors(frame: pd.DataFrame,
                     columns: tuple[str, ...] = ("actor", "target", "attributed_by", "claimed_by"),
                     actors: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Map actor-like columns to canonical names; add ``actor_kind`` and ``actor_umbrella``.

    A blank ``actor`` means nobody was named and becomes ``unknown`` (rule ``blank_is_unknown``).

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3], "flags": "",
    ...     "actor": ["KH", ""], "target": ["U.S. forces", "US troops"],
    ...     "attributed_by": "", "claimed_by": ["IRI", ""]})
    >>> out, _ = normalise_actors(df)
    >>> out[["actor", "actor_umbrella", "target", "claimed_by"]].values.tolist()
    [['Kataib Hezbollah', 'Islamic Resistance in Iraq', 'US forces', 'Islamic Resistance in Iraq'], \
['unknown', '', 'US forces', '']]
    """
    table = _actors(actors)
    index = _index(table)
    out, logs = frame, [empty_changes()]
    for column in columns:
        if column not in frame:
            continue
        codes, found, raw_u = map_unique(frame[column],
                                         lambda t: canonical_actor(t, _index_=index))
        clean_u = np.array([f[0] for f in found], dtype=object)
        known_u = np.array([f[1] for f in found], dtype=bool)
        blank_u = clean_u == ""
        rule_u = np.where(clean_u != raw_u, "actor_alias", "").astype(object)
        if column == "actor":
            clean_u = np.where(blank_u, "unknown", clean_u)
            rule_u = np.where(blank_u, "blank_is_unknown", rule_u)
        out = out.assign(**{column: text_column(clean_u, codes, frame.index)})
        if len(codes):
            unknown = (~known_u & ~blank_u)[codes]
            out = out.assign(**{FLAGS: append_code(out[FLAGS], unknown, _FLAG[column])})
            if column == "target":
                out = out.assign(**{FLAGS: append_code(out[FLAGS], blank_u[codes],
                                                       "missing_target")})
        logs.append(log_changes(frame, column, codes, raw_u, clean_u, rule_u))
    if "actor" in out:
        kind = dict(zip(table["canonical"], table["kind"], strict=True))
        umbrella = dict(zip(table["canonical"], table["umbrella"], strict=True))
        codes, names = factorize_text(out["actor"])
        out = out.assign(
            actor_kind=text_column([kind.get(a, "") for a in names], codes, frame.index),
            actor_umbrella=text_column([umbrella.get(a, "") for a in names], codes, frame.index))
    return out, concat_changes(logs)


_YES = {"yes", "y", "true", "1", "confirmed", "نعم"}
_NO = {"no", "n", "false", "0", "not confirmed", "unconfirmed", "لا"}


def normalise_confirmation(frame: pd.DataFrame, column: str = "confirmed_by_us"
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``yes``/``no``/blank from the coder's text; anything else is kept blank and flagged.

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3, 4], "flags": "",
    ...                    "confirmed_by_us": ["Yes", "", "maybe"]})
    >>> out, changes = normalise_confirmation(df)
    >>> out["confirmed_by_us"].tolist(), out["flags"].tolist()
    (['yes', '', ''], ['', '', 'unclear_confirmation'])
    """
    codes, found, raw_u = map_unique(frame[column], lambda t: (
        "yes" if t.strip().casefold() in _YES else "no" if t.strip().casefold() in _NO else
        "" if not t.strip() else None))
    unclear_u = np.array([f is None for f in found], dtype=bool)
    clean_u = np.array(["" if f is None else f for f in found], dtype=object)
    rule_u = np.where(unclear_u, "unclear_confirmation_blanked",
                      np.where(clean_u != raw_u, "confirmation_yes_no", ""))
    out = frame.assign(**{column: text_column(clean_u, codes, frame.index)})
    if len(codes):
        out = out.assign(**{FLAGS: append_code(out[FLAGS], unclear_u[codes],
                                               "unclear_confirmation")})
    return out, log_changes(frame, column, codes, raw_u, clean_u, rule_u)
