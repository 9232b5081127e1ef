"""Read the dataset's other tables: official tallies and dated context, typed and stamped.

Both tables carry a ``sources`` cell on every row. Dates are read by the incident cleaner's date
parser, so a month-only statement date stays a month (``*_precision``), never a guessed day.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .clean.dates import parse_date
from .errors import InputError

__all__ = ["read_tallies", "read_context", "split_attacks_strikes", "phase_bounds",
           "TALLY_COUNTS"]

TALLY_COUNTS = ["attacks_total", "attacks_iraq", "attacks_syria", "attacks_jordan",
                "injured_total", "injured_tbi", "killed"]


def _read(path: str | Path, required: list[str]) -> pd.DataFrame:
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot be read as a UTF-8 CSV ({type(exc).__name__})",
                         file=path.name) from None
    missing = [c for c in required if c not in frame]
    if missing:
        raise InputError(f"missing required column(s): {', '.join(missing)}", file=path.name)
    return frame.assign(source_file=path.name, source_row=range(2, len(frame) + 2))


def _dates(frame: pd.DataFrame, column: str, file: str) -> pd.DataFrame:
    readings = [parse_date(v) for v in frame[column]]
    bad = [(row, r.message) for row, r in zip(frame["source_row"], readings, strict=True)
           if r.problem or r.alt is not None]
    if bad:
        row, message = bad[0]
        raise InputError(message or "ambiguous date", file=file, row=row, column=column)
    return frame.assign(**{
        f"{column}_start": pd.to_datetime([r.start for r in readings]).astype("datetime64[s]"),
        f"{column}_end": pd.to_datetime([r.end for r in readings]).astype("datetime64[s]"),
        f"{column}_precision": [r.precision for r in readings],
    })


def read_tallies(path: str | Path) -> pd.DataFrame:
    """Read ``official_tallies.csv``: one row per official statement of a cumulative count.

    Adds ``statement_date_start/_end/_precision``, ``count_through_start/_end/_precision`` and
    makes the counts nullable integers. A bad cell raises :class:`InputError` naming it.
    """
    frame = _read(path, ["statement_date", "count_through", *TALLY_COUNTS, "official",
                         "sources"])
    frame = _dates(frame, "statement_date", Path(path).name)
    frame = _dates(frame, "count_through", Path(path).name)
    counts = {}
    for col in TALLY_COUNTS:
        text = frame[col].str.replace(",", "").str.strip()
        bad = (text != "") & ~text.str.fullmatch(r"\d+")
        if bad.any():
            row = int(frame.loc[bad, "source_row"].iat[0])
            raise InputError(f"{frame.loc[bad, col].iat[0]!r} is not a whole number",
                             file=Path(path).name, row=row, column=col)
        counts[col] = pd.array([int(v) if v else None for v in text], dtype="Int64")
    return frame.assign(**counts)


def read_context(path: str | Path) -> pd.DataFrame:
    """Read ``context.csv``: dated series (tolls) and events (truce, milestones)."""
    frame = _read(path, ["date", "category", "name", "value", "unit", "description", "sources"])
    frame = _dates(frame, "date", Path(path).name)
    text = frame["value"].str.replace(",", "").str.strip()
    bad = (text != "") & ~text.str.fullmatch(r"-?\d+(?:\.\d+)?")
    if bad.any():
        raise InputError(f"{frame.loc[bad, 'value'].iat[0]!r} is not a number",
                         file=Path(path).name, row=int(frame.loc[bad, "source_row"].iat[0]),
                         column="value")
    values = pd.Series(pd.array([float(v) if v else None for v in text], dtype="Float64"),
                       index=frame.index)
    return frame.assign(value=values.astype("Float64"))


def split_attacks_strikes(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attacks on US and coalition forces, and US strikes (``actor == 'United States'``)."""
    strike = events["actor"].eq("United States")
    return events.loc[~strike].reset_index(drop=True), events.loc[strike].reset_index(drop=True)


def phase_bounds(context: pd.DataFrame) -> dict[str, pd.Timestamp]:
    """The dates that bound the campaign's phases, read from the context table's milestones.

    Returns ``truce_start``, ``truce_end``, ``tower22`` (the Tower 22 attack) and
    ``feb_strikes`` (the first day of the US strikes of early February 2024).

    Examples
    --------
    >>> ctx = pd.DataFrame({"name": ["truce_start", "truce_end", "tower22_attack",
    ...                              "us_strikes_85_targets"],
    ...                     "date_start": pd.to_datetime(["2023-11-24", "2023-12-01",
    ...                                                   "2024-01-28", "2024-02-02"])})
    >>> {k: str(v.date()) for k, v in phase_bounds(ctx).items()}
    {'truce_start': '2023-11-24', 'truce_end': '2023-12-01', 'tower22': '2024-01-28', \
'feb_strikes': '2024-02-02'}
    """
    names = {"truce_start": "truce_start", "truce_end": "truce_end",
             "tower22": "tower22_attack", "feb_strikes": "us_strikes_85_targets"}
    out = {}
    for key, name in names.items():
        hit = context.loc[context["name"] == name, "date_start"]
        if hit.empty:
            raise InputError(f"the context table has no {name!r} row", file="context")
        out[key] = pd.Timestamp(hit.min())
    return out
