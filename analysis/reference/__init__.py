"""Reference knowledge shipped as CSV package data: columns, countries, gazetteer, actors, weapons.

Each ``load_*`` function returns a fresh DataFrame of text. Researchers extend the knowledge by
passing their own frame (for example ``pd.concat([load_gazetteer(), my_sites])``) to the cleaning
functions; nothing here is read at import time.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = [
    "load_columns",
    "load_countries",
    "load_gazetteer",
    "load_actors",
    "load_weapons",
    "load_casualty_words",
]


def _load(name: str) -> pd.DataFrame:
    with resources.files(__package__).joinpath(name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, na_filter=False)


def load_columns() -> pd.DataFrame:
    """The codebook's raw columns: ``column``, ``required`` (yes/no), ``synonyms`` (``|``-separated)."""
    return _load("columns.csv")


def load_countries() -> pd.DataFrame:
    """Country aliases: ``alias``, ``iso3``, ``name`` (the standard English name used in output)."""
    return _load("countries.csv")


def load_gazetteer() -> pd.DataFrame:
    """Sites and places: ``site_id``, ``name``, ``country_iso3``, ``admin1``, ``latitude``,
    ``longitude``, ``geo_precision`` and ``aliases`` (``|``-separated spelling variants).

    Coordinates are approximate (about 0.05 degrees); see ``analysis/reference/README.md``.

    Examples
    --------
    >>> g = load_gazetteer()
    >>> g.set_index("site_id").loc["JO-TOWER22", "name"]
    'Tower 22'
    """
    return _load("gazetteer.csv")


def load_actors() -> pd.DataFrame:
    """Actor and target aliases: ``alias``, ``canonical``, ``kind``, ``umbrella``.

    Umbrella names (the Islamic Resistance in Iraq) are canonical names of their own; member groups
    name their umbrella in ``umbrella`` but are never folded into it.
    """
    return _load("actors.csv")


def load_weapons() -> pd.DataFrame:
    """Weapon keywords: ``pattern`` (word or phrase), ``weapon_class``, ``subsumes`` (a class it absorbs)."""
    return _load("weapons.csv")


def load_casualty_words() -> pd.DataFrame:
    """Number words and vague quantities with the low/best/high they are coded as, and the rule name."""
    return _load("casualty_words.csv")
