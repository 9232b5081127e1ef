"""Countries and sites: names -> a standard country name and ISO3; sites through a gazetteer.

A country is matched through the alias table (``countries.csv``) and then pycountry. A site is
matched through the gazetteer's names and ``|``-separated aliases on a normalised key (case,
accents, punctuation, hyphens and spaces ignored); a location written as ``X (Y)`` is also tried as
``Y`` and ``X``. A location the gazetteer does not know keeps its name, gets an empty ``site_id``
and the flag ``unknown_site``; it is never dropped.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..reference import load_countries, load_gazetteer
from ._log import FLAGS, append_code, empty_changes, log_changes, map_unique, origin, problem, take
from .text import normalise_key

__all__ = ["lookup_country", "normalise_countries", "match_sites", "site_index"]


def lookup_country(text: str, countries: pd.DataFrame | None = None,
                   _index: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    """Return ``(name, iso3)`` for a country name or code, or ``("", "")`` when unknown.

    Examples
    --------
    >>> lookup_country("Syrian Arab Republic")
    ('Syria', 'SYR')
    >>> lookup_country("IQ")
    ('Iraq', 'IRQ')
    >>> lookup_country("Türkiye")
    ('Türkiye', 'TUR')
    >>> lookup_country("Atlantis")
    ('', '')
    """
    index = _index if _index is not None else _country_index(
        load_countries() if countries is None else countries)
    key = normalise_key(text)
    if not key:
        return "", ""
    if key in index:
        return index[key]
    import pycountry

    try:
        c = pycountry.countries.lookup(text.strip())
    except LookupError:
        return "", ""
    return getattr(c, "common_name", None) or c.name, c.alpha_3


def _country_index(countries: pd.DataFrame) -> dict[str, tuple[str, str]]:
    return {normalise_key(a): (n, i) for a, i, n in
            zip(countries["alias"], countries["iso3"], countries["name"], strict=True)}


def normalise_countries(frame: pd.DataFrame, column: str = "country",
                        countries: pd.DataFrame | None = None
                        ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace ``column`` by a standard English name and add ``country_iso3``.

    Unknown names are kept as written and flagged ``unknown_country``; blank ones are left blank
    for :func:`match_sites` to fill from the site, or for validation to quarantine.

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3], "flags": "",
    ...                    "country": ["SYR", "Narnia"]})
    >>> out, changes = normalise_countries(df)
    >>> out[["country", "country_iso3", "flags"]].values.tolist()
    [['Syria', 'SYR', ''], ['Narnia', '', 'unknown_country']]
    """
    index = _country_index(load_countries() if countries is None else countries)
    codes, found = map_unique(frame[column], lambda t: lookup_country(t, _index=index))
    uniques = pd.factorize(frame[column].fillna(""), sort=False)[1]
    raw_u = np.asarray(uniques, dtype=object)
    name_u = np.array([f[0] or r for f, r in zip(found, raw_u, strict=True)], dtype=object)
    iso_u = np.array([f[1] for f in found], dtype=object)
    unknown_u = (iso_u == "") & (np.array([bool(r.strip()) for r in raw_u], dtype=bool))
    rule_u = np.where(name_u != raw_u, "country_alias", "")
    out = frame.assign(**{
        column: pd.Series(take(name_u, codes), index=frame.index, dtype=object),
        "country_iso3": pd.Series(take(iso_u, codes), index=frame.index, dtype=object),
    })
    if len(codes):
        out = out.assign(**{FLAGS: append_code(out[FLAGS], unknown_u[codes], "unknown_country")})
    return out, log_changes(frame, column, codes, raw_u, name_u, rule_u)


_GENERIC = re.compile(r"\b(?:us|u s|american|coalition|military|air|airbase|airfield|base|"
                      r"garrison|camp|outpost|facility|installation)\b")


def _bare(key: str) -> str:
    """A key without generic words for a base (``Ayn al-Asad air base`` -> ``ayn al asad``)."""
    return " ".join(_GENERIC.sub(" ", key).split())


def site_index(gazetteer: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """Map every normalised name and alias to its row position; and, for site-level entries
    only, the same keys without generic words such as ``air base`` or ``garrison``."""
    index: dict[str, int] = {}
    bare: dict[str, int] = {}
    for pos, (name, aliases, precision) in enumerate(zip(
            gazetteer["name"], gazetteer["aliases"], gazetteer["geo_precision"], strict=True)):
        for alias in [name, *filter(None, aliases.split("|"))]:
            index.setdefault(normalise_key(alias), pos)
            if precision == "site" and _bare(normalise_key(alias)):
                bare.setdefault(_bare(normalise_key(alias)), pos)
    return index, bare


_PAREN = re.compile(r"^(.*?)\s*\((.+)\)\s*$")


def _find_site(text: str, indexes: tuple[dict[str, int], dict[str, int]]) -> int:
    index, bare = indexes
    m = _PAREN.match(text)
    candidates = [text, m[2], m[1]] if m else [text]
    for part in candidates:
        if normalise_key(part) in index:
            return index[normalise_key(part)]
    for part in candidates:
        if _bare(normalise_key(part)) in bare:
            return bare[_bare(normalise_key(part))]
    return -1


def match_sites(frame: pd.DataFrame, column: str = "location",
                gazetteer: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``site``, ``site_id``, ``latitude``, ``longitude``, ``admin1`` and ``geo_precision``.

    A blank country is filled from a known site (rule ``country_from_site``); a country that
    disagrees with the site's is kept and flagged ``site_country_mismatch``.

    Examples
    --------
    >>> gaz = pd.DataFrame({"site_id": ["JO-T22"], "name": ["Tower 22"], "country_iso3": ["JOR"],
    ...     "admin1": ["Mafraq"], "latitude": ["33.32"], "longitude": ["38.70"],
    ...     "geo_precision": ["site"], "aliases": ["T22|Tower-22"]})
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3], "flags": "",
    ...     "location": ["tower 22", "Camp X"], "country": ["", "Iraq"],
    ...     "country_iso3": ["", "IRQ"]})
    >>> out, changes = match_sites(df, gazetteer=gaz)
    >>> out[["site", "site_id", "country", "geo_precision", "flags"]].values.tolist()
    [['Tower 22', 'JO-T22', 'Jordan', 'site', ''], ['Camp X', '', 'Iraq', 'country', 'unknown_site']]
    """
    gaz = load_gazetteer() if gazetteer is None else gazetteer
    index = site_index(gaz)
    codes, found = map_unique(frame[column], lambda t: _find_site(t, index))
    raw_u = np.asarray(pd.factorize(frame[column].fillna(""), sort=False)[1], dtype=object)
    pos_u = np.array(found, dtype="int64")
    pos = pos_u[codes] if len(codes) else pos_u[:0]
    hit = pos >= 0
    safe = np.where(hit, pos, 0)

    def col(name: str) -> np.ndarray:
        values = gaz[name].to_numpy(object)
        return np.where(hit, values[safe] if len(values) else "", "") if len(pos) else np.array(
            [], dtype=object)

    site_name_u = np.array([gaz["name"].iat[p] if p >= 0 else r for p, r in
                            zip(pos_u, raw_u, strict=True)], dtype=object)
    site_iso = col("country_iso3")
    blank_loc = (frame[column].fillna("").str.strip() == "").to_numpy(dtype=bool)
    precision = np.where(hit, col("geo_precision"),
                         np.where(frame["country_iso3"].to_numpy(object) != "", "country", ""))
    lat = pd.to_numeric(pd.Series(col("latitude"), index=frame.index).replace("", None))
    lon = pd.to_numeric(pd.Series(col("longitude"), index=frame.index).replace("", None))
    out = frame.assign(
        site=pd.Series(take(site_name_u, codes), index=frame.index, dtype=object),
        site_id=pd.Series(col("site_id"), index=frame.index, dtype=object),
        latitude=lat.astype("Float64"), longitude=lon.astype("Float64"),
        admin1=pd.Series(col("admin1"), index=frame.index, dtype=object),
        geo_precision=pd.Series(precision, index=frame.index, dtype=object),
    )
    changes = [log_changes(frame, column, codes, raw_u, site_name_u,
                           np.where(site_name_u != raw_u, "gazetteer_alias", ""))]
    flags = append_code(out[FLAGS], ~hit & ~blank_loc, "unknown_site")
    flags = append_code(flags, blank_loc, "missing_location")
    iso = frame["country_iso3"].to_numpy(object)
    fill = hit & (iso == "")
    mismatch = hit & (iso != "") & (site_iso != iso)
    flags = append_code(flags, mismatch, "site_country_mismatch")
    out = out.assign(**{FLAGS: flags})
    if fill.any():
        names = np.array([lookup_country(i)[0] for i in site_iso[fill]], dtype=object)
        country = out["country"].to_numpy(object, copy=True)
        country[fill] = names
        new_iso = iso.copy()
        new_iso[fill] = site_iso[fill]
        out = out.assign(country=pd.Series(country, index=frame.index, dtype=object),
                         country_iso3=pd.Series(new_iso, index=frame.index, dtype=object))
        changes.append(pd.DataFrame({
            **origin(frame, fill),
            "column": "country", "raw_value": "", "clean_value": names,
            "rule": "country_from_site"}))
    missing = (out["country"].fillna("").str.strip() == "").to_numpy(dtype=bool)
    if missing.any():
        out = problem(out, missing, "missing_country",
                      "country: blank, and the location does not name a known site")
    return out, pd.concat([empty_changes(), *changes], ignore_index=True)
