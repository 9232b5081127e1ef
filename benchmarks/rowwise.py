"""A straightforward row-by-row cleaner: the baseline the vectorised pipeline is measured against.

It reads rows with the csv module and, for every row, calls the same single-value parsers the
library uses (text normalisation, dates, countries, sites, actors, weapons, casualties,
sources). Numeric dates with an ambiguous order follow the same per-file rule (a first pass
collects the file's evidence). It writes nothing and merges nothing: it is the cleaning alone.
"""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.clean.actors import _index as actor_index
from analysis.clean.actors import canonical_actor
from analysis.clean.casualties import _words, parse_casualty_text
from analysis.clean.dates import parse_date
from analysis.clean.places import _country_index, _find_site, lookup_country, site_index
from analysis.clean.sources import parse_source_text
from analysis.clean.text import normalise_text
from analysis.clean.weapons import _patterns, classify_weapon
from analysis.reference import load_actors, load_countries, load_gazetteer, load_weapons

PARSED = ["event_id", "date", "country", "location", "actor", "target", "weapon", "casualties",
          "claimed_by", "confirmed_by_us", "sources"]


def clean_rowwise(path: str | Path) -> dict[int, dict]:
    """Clean every row on its own; return the cleaned values by sheet row number."""
    gaz = load_gazetteer()
    sites = site_index(gaz)  # reference tables are loaded once, as any sensible script would
    names = gaz["name"].tolist()
    countries = _country_index(load_countries())
    actors = actor_index(load_actors())
    weapons = _patterns(load_weapons())
    words = _words()
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    evidence = {parse_date(normalise_text(r["date"])).evidence for r in rows}
    order = ("dmy" if "dmy" in evidence and "mdy" not in evidence else
             "mdy" if "mdy" in evidence and "dmy" not in evidence else "")
    out = {}
    for n, r in enumerate(rows, start=2):
        v = {c: normalise_text(r[c]) for c in PARSED}
        d = parse_date(v["date"])
        start, end = d.start, d.end
        if d.alt is not None:
            if order == "mdy":
                start = end = d.alt
            elif order != "dmy":
                start = end = None
        name, iso = lookup_country(v["country"], _index=countries)
        pos = _find_site(v["location"], sites)
        site = names[pos] if pos >= 0 else v["location"]
        actor = canonical_actor(v["actor"], _index_=actors)[0] or "unknown"
        c = parse_casualty_text(v["casualties"], words)
        s = parse_source_text(v["sources"])
        out[n] = {"date_start": start, "date_end": end, "country": name or v["country"],
                  "country_iso3": iso, "site": site, "actor": actor,
                  "target": canonical_actor(v["target"], _index_=actors)[0],
                  "weapon_class": classify_weapon(v["weapon"], _patterns_=weapons),
                  "killed_low": c[0], "killed_best": c[1], "killed_high": c[2],
                  "injured_low": c[3], "injured_best": c[4], "injured_high": c[5],
                  "n_sources": s.n}
    return out
