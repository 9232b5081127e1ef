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

from ..reference import checked_table, load_countries, load_gazetteer
from ._log import (
    FLAGS,
    append_code,
    categorical,
    changes_frame,
    concat_changes,
    factorize_text,
    log_changes,
    map_unique,
    origin,
    problem,
    text_column,
    unique_inverse,
)
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
    index = _index if _index is not None else _country_index(_countries(countries))
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


def _countries(table: pd.DataFrame | None) -> pd.DataFrame:
    """The package's country aliases, or a researcher's, checked."""
    if table is None:
        return load_countries()
    return checked_table(table, "countries", ["alias", "iso3", "name"], nonblank=("alias", "name"))


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
    index = _country_index(_countries(countries))
    codes, found, raw_u = map_unique(frame[column], lambda t: lookup_country(t, _index=index))
    name_u = np.array([f[0] or r for f, r in zip(found, raw_u, strict=True)], dtype=object)
    iso_u = np.array([f[1] for f in found], dtype=object)
    unknown_u = (iso_u == "") & (np.array([bool(r.strip()) for r in raw_u], dtype=bool))
    rule_u = np.where(name_u != raw_u, "country_alias", "")
    out = frame.assign(**{
        column: text_column(name_u, codes, frame.index),
        "country_iso3": text_column(iso_u, codes, frame.index),
    })
    if len(codes):
        out = out.assign(**{FLAGS: append_code(out[FLAGS], unknown_u[codes], "unknown_country")})
    return out, log_changes(frame, column, codes, raw_u, name_u, rule_u)


_GENERIC = re.compile(r"\b(?:us|u s|american|coalition|military|air|airbase|airfield|base|"
                      r"garrison|camp|outpost|facility|installation)\b")


def _bare(key: str) -> str:
    """A key without generic words for a base (``Ayn al-Asad air base`` -> ``ayn al asad``)."""
    return " ".join(_GENERIC.sub(" ", key).split())


_GAZ_REQUIRED = ["site_id", "name", "country_iso3", "latitude", "longitude"]
_GAZ_OPTIONAL = ("admin1", "geo_precision", "aliases")


def checked_gazetteer(gazetteer: pd.DataFrame) -> pd.DataFrame:
    """A researcher's gazetteer as the steps read it (:func:`analysis.reference.checked_table`:
    text cells, ``admin1``, ``geo_precision`` and ``aliases`` optional); a site without a name,
    or a coordinate that is not a number, is an :class:`~analysis.errors.InputError` naming
    the gazetteer's row and column.

    Examples
    --------
    >>> checked_gazetteer(pd.DataFrame({"site_id": ["X"], "name": ["Camp X"],
    ...     "country_iso3": ["SYR"], "latitude": ["33.5N"], "longitude": [38.6]}))
    Traceback (most recent call last):
    ...
    analysis.errors.InputError: gazetteer, row 1, column latitude: '33.5N' is not a number \
(site X)
    """
    from ..errors import InputError

    gaz = checked_table(gazetteer, "gazetteer", _GAZ_REQUIRED, _GAZ_OPTIONAL)
    blank = np.flatnonzero((gaz["name"].str.strip() == "").to_numpy())
    if blank.size:
        raise InputError("a site needs a name", file="gazetteer", row=int(blank[0]) + 1,
                         column="name")
    for c in ("latitude", "longitude"):  # a few thousand rows at most: one by one
        for i, value in enumerate(gaz[c].str.strip()):
            try:
                float(value or 0)
            except ValueError:
                raise InputError(f"{gaz[c].iat[i]!r} is not a number (site "
                                 f"{gaz['site_id'].iat[i]})", file="gazetteer", row=i + 1,
                                 column=c) from None
    return gaz


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
    gaz = load_gazetteer() if gazetteer is None else checked_gazetteer(gazetteer)
    index = site_index(gaz)
    codes, found, raw_u = map_unique(frame[column], lambda t: _find_site(t, index))
    pos_u = np.array(found, dtype="int64")
    hit_u = pos_u >= 0
    safe_u = np.where(hit_u, pos_u, 0)

    def field_u(name: str) -> np.ndarray:  # the gazetteer's value per distinct location
        values = gaz[name].to_numpy(object)
        return np.where(hit_u, values[safe_u] if len(values) else "", "").astype(object)

    site_name_u = np.where(hit_u, field_u("name"), raw_u).astype(object)
    blank_u = np.array([not r.strip() for r in raw_u], dtype=bool)
    coords = {c: pd.array(pd.to_numeric(pd.Series(field_u(c)).replace("", None)),
                          dtype="Float64") for c in ("latitude", "longitude")}
    # what depends on the row's country too is worked out per (location, country code) pair
    iso_codes, iso_u = factorize_text(frame["country_iso3"])
    pair = codes.astype("int64") * len(iso_u) + iso_codes
    pairs, inverse = unique_inverse(pair)
    p_loc, p_iso = pairs // max(len(iso_u), 1), iso_u[pairs % max(len(iso_u), 1)]
    p_hit, p_site_iso = hit_u[p_loc], field_u("country_iso3")[p_loc]
    p_precision = np.where(p_hit, field_u("geo_precision")[p_loc],
                           np.where(p_iso != "", "country", "")).astype(object)
    p_fill = p_hit & (p_iso == "")
    p_mismatch = p_hit & (p_iso != "") & (p_site_iso != p_iso)
    out = frame.assign(
        site=text_column(site_name_u, codes, frame.index),
        site_id=text_column(field_u("site_id"), codes, frame.index),
        latitude=pd.Series(coords["latitude"].take(codes), index=frame.index),
        longitude=pd.Series(coords["longitude"].take(codes), index=frame.index),
        admin1=text_column(field_u("admin1"), codes, frame.index),
        geo_precision=text_column(p_precision, inverse, frame.index),
    )
    changes = [log_changes(frame, column, codes, raw_u, site_name_u,
                           np.where(site_name_u != raw_u, "gazetteer_alias", ""))]
    hit, blank_loc = hit_u[codes], blank_u[codes]
    flags = append_code(out[FLAGS], ~hit & ~blank_loc, "unknown_site")
    flags = append_code(flags, blank_loc, "missing_location")
    flags = append_code(flags, p_mismatch[inverse], "site_country_mismatch")
    out = out.assign(**{FLAGS: flags})
    fill = p_fill[inverse]
    if fill.any():
        p_name = np.array([lookup_country(i)[0] if f else "" for i, f in
                           zip(p_site_iso, p_fill, strict=True)], dtype=object)
        c_codes, c_u = factorize_text(out["country"])
        country_codes = np.where(fill, len(c_u) + inverse, c_codes)
        iso_new = np.where(fill, len(iso_u) + inverse, iso_codes)
        out = out.assign(
            country=text_column(np.concatenate([c_u, p_name]), country_codes, frame.index),
            country_iso3=text_column(np.concatenate([iso_u, p_site_iso]), iso_new, frame.index))
        changes.append(changes_frame({
            **origin(frame, fill), "column": "country", "raw_value": "",
            "clean_value": categorical(p_name, inverse[fill]), "rule": "country_from_site"},
            int(fill.sum())))
    c_codes, c_u = factorize_text(out["country"])
    missing = np.array([not c.strip() for c in c_u], dtype=bool)[c_codes]
    if missing.any():
        out = problem(out, missing, "missing_country",
                      "country: blank, and the location does not name a known site")
    return out, concat_changes(changes)
