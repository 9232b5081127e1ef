"""Deterministic generator of messy incident tables in the codebook's raw format.

    python benchmarks/generate.py ROWS OUT.csv [--seed 0]

Mixed date formats (ISO, written, ranges, months, day-first numerics, spreadsheet serials,
a few impossible ones), spelling variants of countries, sites and actors (with non-breaking
spaces and hyphens), casualty text in many forms, one to three sources per row, notes with
commas, quotes and the odd embedded newline, about 2 % repeated event ids (reports of one
event) and a few blank rows. The same ROWS and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

HEADER = ["event_id", "date", "country", "location", "actor", "target", "weapon", "casualties",
          "claimed_by", "confirmed_by_us", "sources", "notes", "coder"]
COUNTRIES = ["Iraq", "iraq ", "IRQ", "Syria", "Syrian Arab Republic", "SY", "Jordan", "Iraq\u00a0"]
SITES = ["Ain al-Asad air base", "Ain al Asad", "AIN AL-ASSAD", "al-Asad airbase", "al-Tanf",
         "al\u2011Tanf garrison", "Erbil air base", "Harir", "Mission Support Site Euphrates",
         "Conoco gas field base", "Green Village", "al-Shaddadi", "Rumalyn Landing Zone",
         "Tell Baydar", "Tower 22", "Union III", "Baghdad airport", "Camp Nowhere",
         "عين الأسد"]
ACTORS = ["Islamic Resistance in Iraq", "IRI", "Kata'ib Hizballah", "Kataib Hezbollah", "unknown",
          "", "Harakat al-Nujaba", "Iran-backed militias", "Saraya Unknown"]
TARGETS = ["US forces", "U.S. forces", "US and coalition forces", "coalition forces"]
WEAPONS = ["one-way attack drone", "drones", "rockets", "Katyusha rockets", "drones and rockets",
           "close-range ballistic missile", "", "mortar", "UAV", "unknown device"]
CASUALTIES = ["", "no injuries", "no casualties", "1 injured", "3 killed, 40+ injured",
              "21 injured (19 TBI)", "several wounded", "25-34 injured", "about 20 hurt",
              "NA", "None", "2.5 injured", "5", "٣ قتلى"]
OUTLETS = ["Reuters", "AP", "AFP", "Al-Monitor", "Rudaw", "Shafaq News", "CNN"]
NOTES = ["claimed on Telegram", 'officials said "no damage"', "two drones, one shot down",
         "reported by SOHR, not confirmed", "line one\nline two", "date per US Eastern time"]


def _dates(rng: np.random.Generator, n: int) -> np.ndarray:
    days = np.datetime64("2023-10-17") + rng.integers(0, 450, n).astype("timedelta64[D]")
    iso = np.datetime_as_string(days, unit="D")
    kind = rng.choice(8, n, p=[0.45, 0.15, 0.1, 0.05, 0.1, 0.1, 0.04, 0.01])
    out = iso.astype(object)
    y = days.astype("datetime64[Y]").astype(int) + 1970
    m = days.astype("datetime64[M]").astype(int) % 12 + 1
    d = (days - days.astype("datetime64[M]")).astype(int) + 1
    mon = np.array(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec"])[m - 1]
    written = np.char.add(np.char.add(np.char.add(d.astype(str), " "), mon),
                          np.char.add(" ", y.astype(str)))
    out[kind == 1] = written[kind == 1]
    rng_end = np.minimum(d + 1, 28)
    ranged = np.char.add(np.char.add(np.char.add(np.minimum(d, 27).astype(str), "-"),
                                     rng_end.astype(str)), np.char.add(" ", np.char.add(
                                         mon, np.char.add(" ", y.astype(str)))))
    out[kind == 2] = ranged[kind == 2]
    out[kind == 3] = np.char.add(np.char.add(mon, " "), y.astype(str))[kind == 3]
    dmy = np.char.add(np.char.add(np.char.zfill(d.astype(str), 2), "/"),
                      np.char.add(np.char.zfill(m.astype(str), 2), np.char.add("/", y.astype(str))))
    out[kind == 4] = dmy[kind == 4]
    serial = (days - np.datetime64("1899-12-30")).astype(int).astype(str)
    out[kind == 5] = serial[kind == 5]
    out[kind == 6] = np.char.add(iso, " 00:00:00")[kind == 6]
    out[kind == 7] = "31 Feb 2024"
    return out


def generate(rows: int, seed: int = 0) -> list[list[str]]:
    """The table's rows (header first)."""
    rng = np.random.default_rng(seed)
    pick = lambda pool, **kw: np.asarray(pool, dtype=object)[rng.integers(0, len(pool), rows)]  # noqa: E731
    ids = np.char.add("EV-", np.arange(rows).astype(str)).astype(object)
    repeat = rng.random(rows) < 0.02
    ids[repeat] = ids[np.maximum(np.flatnonzero(repeat) - 1, 0)]
    url = rng.integers(0, 50_000, (rows, 3))
    n_src = rng.integers(1, 4, rows)
    outlets = np.asarray(OUTLETS, dtype=object)[rng.integers(0, len(OUTLETS), (rows, 3))]
    pub = np.datetime_as_string(np.datetime64("2023-10-18") + rng.integers(
        0, 450, (rows, 3)).astype("timedelta64[D]"), unit="D")
    items = [outlets[:, k] + " " + pub[:, k].astype(object) + " https://news.example/" +
             url[:, k].astype(str).astype(object) for k in range(3)]
    sources = np.where(n_src == 1, items[0], np.where(n_src == 2, items[0] + "; " + items[1],
                                                      items[0] + "; " + items[1] + "; " + items[2]))
    columns = [ids, _dates(rng, rows), pick(COUNTRIES), pick(SITES), pick(ACTORS), pick(TARGETS),
               pick(WEAPONS), pick(CASUALTIES), pick(["", "IRI", "Islamic Resistance in Iraq"]),
               pick(["yes", "no", "", "Y"]), sources, pick(NOTES), pick(["AB", "CD", "EF"])]
    table = np.column_stack(columns)
    blank = rng.random(rows) < 0.001
    table[blank] = ""
    return [HEADER, *table.tolist()]


def write(rows: int, path: str | Path, seed: int = 0) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(generate(rows, seed))
    return path


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rows", type=int)
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    print(write(a.rows, a.out, a.seed))
