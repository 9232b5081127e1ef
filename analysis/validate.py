"""The clean event table's schema: the codebook in code.

:func:`event_schema` (a pandera schema built from ``_SPEC``) says for every column of ``events.csv`` its
type, allowed values, range and meaning; ``docs/codebook.md`` is generated from it
(:func:`codebook_markdown`), and a test keeps the two from drifting apart.

Rows are validated before merging (:func:`validate_rows`) by :func:`check_frame`, the same
checks as whole-column operations (pandera is not imported on that path; a test holds the two to
the same verdicts): every failure is collected at once and each failing row goes to quarantine
with a reason naming the column. :func:`validate_events` runs the pandera schema on a merged
table; a failure there is a bug in the library, not in the input, and raises.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pandera is imported only when validation runs
    import pandera.pandas as pa

__all__ = ["event_schema", "validate_rows", "validate_events", "codebook_markdown",
           "check_frame", "as_schema_types", "EVENT_COLUMNS", "PRECISIONS", "GEO_PRECISIONS"]

PRECISIONS = ["day", "range", "week", "month"]
GEO_PRECISIONS = ["site", "town", "region", "country", ""]

#: name, dtype, nullable, description, extra checks (as pandera Field keywords)
_SPEC: list[tuple[str, str, bool, str, dict]] = [
    ("event_id", "str", False, "The coder's id of the event (of its first report when "
     "reports were merged); prefixed with the file name where two files use the same id (with "
     "its folder or sheet where names match too).",
     {"str_length": {"min_value": 1}}),
    ("date_start", "datetime64[s]", False, "First day the event may have happened (local date).", {}),
    ("date_end", "datetime64[s]", False, "Last day it may have happened; equals date_start for "
     "a single day.", {}),
    ("date_precision", "str", False, "day, range, week or month: how exactly the date is known.",
     {"isin": PRECISIONS}),
    ("country", "str", False, "Standard English country name (as written where unknown).",
     {"str_length": {"min_value": 1}}),
    ("country_iso3", "str", False, "ISO 3166-1 alpha-3 code; blank for an unknown country "
     "(flagged).", {"str_matches": r"^([A-Z]{3})?$"}),
    ("site", "str", False, "The gazetteer's canonical site name, or the location as written "
     "when the gazetteer does not know it (flagged unknown_site).", {}),
    ("site_id", "str", False, "The gazetteer's id; blank for an unknown site.", {}),
    ("latitude", "Float64", True, "Site latitude (approximate, WGS84); missing for an unknown "
     "site.", {"ge": -90, "le": 90}),
    ("longitude", "Float64", True, "Site longitude (approximate, WGS84).", {"ge": -180, "le": 180}),
    ("admin1", "str", False, "First-level administrative unit (governorate, province).", {}),
    ("geo_precision", "str", False, "site, town, region or country: what the coordinates "
     "stand for.", {"isin": GEO_PRECISIONS}),
    ("actor", "str", False, "Who carried it out, canonical name from the alias table; "
     "'unknown' when nobody was named.", {"str_length": {"min_value": 1}}),
    ("actor_kind", "str", False, "umbrella, group, state, state_forces, forces, generic, none, "
     "or blank for an actor the alias table does not know.", {}),
    ("actor_umbrella", "str", False, "The umbrella a member group belongs to (e.g. Kataib "
     "Hezbollah -> Islamic Resistance in Iraq); the actor itself is never replaced by it.", {}),
    ("target", "str", False, "Who or what was attacked, canonical name.", {}),
    ("weapon_class", "str", False, "drone, rocket, ballistic missile, mortar, airstrike, gunship, "
     "small arms, explosive device, mixed or unknown.", {"isin": None}),
    ("killed_low", "Int64", True, "Lowest reported number killed; missing when not reported.",
     {"ge": 0}),
    ("killed_best", "Int64", True, "Best estimate of the number killed (the rule in "
     "analysis/clean/casualties.py).", {"ge": 0}),
    ("killed_high", "Int64", True, "Highest number killed; missing when open-ended (40+) or not "
     "reported.", {"ge": 0}),
    ("injured_low", "Int64", True, "Lowest reported number injured.", {"ge": 0}),
    ("injured_best", "Int64", True, "Best estimate of the number injured.", {"ge": 0}),
    ("injured_high", "Int64", True, "Highest number injured; missing when open-ended or not "
     "reported.", {"ge": 0}),
    ("claimed_by", "str", False, "Groups that publicly claimed it, canonical, '; '-separated.", {}),
    ("attributed_by", "str", False, "Whom officials said did it, as canonical names.", {}),
    ("confirmed_by_us", "str", False, "yes / no / blank: whether a US official confirmed this "
     "incident.", {"isin": ["yes", "no", ""]}),
    ("n_sources", "int64", False, "Number of distinct sources (by URL) behind the event.",
     {"ge": 1}),
    ("source_date_earliest", "datetime64[s]", True, "Earliest publication date among the "
     "sources.", {}),
    ("source_list", "str", False, "Every source item, '; '-separated.", {}),
    ("source_urls", "str", False, "The sources' URLs, space-separated.", {}),
    ("n_reports", "int64", False, "Number of raw rows merged into the event.", {"ge": 1}),
    ("raw_rows", "str", False, "Every raw row the event came from, as file:row items joined by "
     "';' (file[sheet]:row for Excel; in a file or sheet name a ';' is written %3B and a "
     "'%' %25).",
     {"str_length": {"min_value": 1}}),
    ("flags", "str", False, "What a reviewer should look at, '; '-separated codes (unknown_site, "
     "unknown_actor, vague_date, conflicting_reports, ...).", {}),
    ("conflicts", "str", False, "Where merged reports disagree: 'column: value | value', "
     "'; '-separated.", {}),
    ("date_raw", "str", False, "The date as the coder wrote it (reports joined by ' | ').", {}),
    ("country_raw", "str", False, "The country as written.", {}),
    ("location_raw", "str", False, "The location as written.", {}),
    ("actor_raw", "str", False, "The actor as written.", {}),
    ("target_raw", "str", False, "The target as written.", {}),
    ("weapon_raw", "str", False, "The weapon as written.", {}),
    ("casualties_raw", "str", False, "The casualty text as written.", {}),
    ("notes", "str", False, "The coder's notes (reports joined by ' | ').", {}),
    ("coder", "str", False, "The coders' initials.", {}),
]
EVENT_COLUMNS = [name for name, *_ in _SPEC]
ROW_ONLY_EXEMPT = {"n_reports", "raw_rows", "conflicts"}


def event_schema(*, rows: bool = False) -> pa.DataFrameSchema:
    """The pandera schema of the event table (``rows=True``: of cleaned rows before merging)."""
    import pandera.pandas as pa

    from .clean.weapons import WEAPON_CLASSES

    columns = {}
    for name, dtype, nullable, description, extra in _SPEC:
        if rows and name in ROW_ONLY_EXEMPT:
            continue
        checks = []
        for key, value in extra.items():
            if key == "isin":
                checks.append(pa.Check.isin(WEAPON_CLASSES if value is None else value))
            elif key == "str_length":
                checks.append(pa.Check.str_length(**value))
            elif key == "str_matches":
                checks.append(pa.Check.str_matches(value))
            else:
                checks.append(getattr(pa.Check, key)(value))
        columns[name] = pa.Column(dtype, checks=checks, nullable=nullable,
                                  description=description,
                                  unique=(name == "event_id" and not rows))
    return pa.DataFrameSchema(
        columns, coerce=True, strict=False, ordered=False,
        checks=[
            pa.Check(lambda d: d["date_end"] >= d["date_start"], name="date_end_not_before_start",
                     ignore_na=True),
            *[pa.Check(lambda d, c=c: ~(d[f"{c}_low"] > d[f"{c}_best"]).fillna(False),
                       name=f"{c}_low_not_above_best") for c in ("killed", "injured")],
            *[pa.Check(lambda d, c=c: ~(d[f"{c}_best"] > d[f"{c}_high"]).fillna(False),
                       name=f"{c}_best_not_above_high") for c in ("killed", "injured")],
        ],
        name="events" if not rows else "cleaned rows",
    )


def _coerce(values: pd.Series, dtype: str) -> pd.Series:
    """Give a column the schema's dtype (text stays as it is: the steps only produce text)."""
    if dtype == "str" or str(values.dtype) == dtype:
        return values
    return values.astype(dtype)


def as_schema_types(frame: pd.DataFrame, *, categories: bool = False) -> pd.DataFrame:
    """``frame`` with every text column of the schema as pandas ``str`` (the steps build some as
    Python objects; the event table's text columns all have one dtype). With ``categories``,
    a ``category`` text column stays one."""
    text = [name for name, dtype, *_ in _SPEC
            if dtype == "str" and name in frame and frame[name].dtype != "str"
            and not (categories and isinstance(frame[name].dtype, pd.CategoricalDtype))]
    from ._arrow import as_str

    return frame.assign(**{c: as_str(frame[c]) for c in text}) if text else frame


def check_frame(frame: pd.DataFrame, *, rows: bool = False, only: np.ndarray | None = None
                ) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Check ``frame`` against the schema with vectorised column operations.

    The same checks as :func:`event_schema` (types, missing values, allowed values, ranges,
    patterns and the cross-column checks), run as whole-column comparisons so that a million
    rows take a fraction of a second; pandera itself is not imported. Returns the frame with the
    schema's number and date types, and per row the failure code (``schema``) and a message
    naming each failing column and check. A test runs both on the same inputs and requires the
    same rows to fail. ``only`` (a boolean mask) checks those rows alone: the others get no
    failure (the coercion still covers every row, so no rows need copying out first).
    """
    from .clean.weapons import WEAPON_CLASSES

    n = len(frame)
    coerced = {}
    failures: list[tuple[np.ndarray, str, str, pd.Series]] = []
    for name, dtype, nullable, _, extra in _SPEC:
        if name not in frame or (rows and name in ROW_ONLY_EXEMPT):
            continue
        col = _coerce(frame[name], dtype)
        coerced[name] = col
        missing = col.isna().to_numpy(dtype=bool)
        if not nullable and missing.any():
            failures.append((missing, name, "not_nullable", col))
        present = ~missing
        for key, value in extra.items():
            if key == "isin":
                allowed = WEAPON_CLASSES if value is None else value
                bad = present & ~col.isin(allowed).to_numpy(dtype=bool)
                label = f"isin({list(allowed)})"
            elif key == "str_length":
                bad = present & (col.str.len() < value["min_value"]).to_numpy(dtype=bool)
                label = f"str_length({value['min_value']}, None)"
            elif key == "str_matches":
                codes, uniques = pd.factorize(col)
                ok_u = pd.Series(uniques, dtype=object).map(
                    lambda v, rx=re.compile(value): bool(rx.match(str(v)))).to_numpy(dtype=bool)
                bad = present & ~np.append(ok_u, True)[codes]  # code -1 (missing) -> True
                label = f"str_matches({value!r})"
            elif key in ("ge", "le"):
                values = col.to_numpy(dtype="float64", na_value=np.nan)
                with np.errstate(invalid="ignore"):
                    bad = present & ((values < value) if key == "ge" else (values > value))
                label = ("greater_than_or_equal_to" if key == "ge" else
                         "less_than_or_equal_to") + f"({value})"
            else:  # pragma: no cover - a new kind of check must be added here and in the schema
                raise NotImplementedError(key)
            if bad.any():
                failures.append((bad, name, label, col))
    pairs = [("date_end_not_before_start", "date_start", "date_end")]
    pairs += [(f"{c}_low_not_above_best", f"{c}_low", f"{c}_best") for c in ("killed", "injured")]
    pairs += [(f"{c}_best_not_above_high", f"{c}_best", f"{c}_high") for c in ("killed", "injured")]
    for label, low, high in pairs:
        if low in coerced and high in coerced:
            bad = (coerced[low] > coerced[high]).fillna(False).to_numpy(dtype=bool)
            if bad.any():
                failures.append((bad, "", label, None))
    codes = np.full(n, "", dtype=object)
    messages = np.full(n, "", dtype=object)
    for bad, name, label, col in failures:  # only failing rows are visited
        for i in np.flatnonzero(bad if only is None else bad & only):
            value = "" if col is None else col.iat[i]
            text = f"{name or 'row'}: fails {label} (value {value!r})"
            codes[i] = "schema"
            messages[i] = f"{messages[i]}; {text}" if messages[i] else text
    out = frame.assign(**{k: v for k, v in coerced.items() if v is not frame[k]})
    return (out, pd.Series(codes, index=frame.index, dtype=object),
            pd.Series(messages, index=frame.index, dtype=object))


def validate_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Validate cleaned rows; return the typed frame of the rows that pass and, per row, failure
    codes and messages (every failure of a row is collected; see :func:`check_frame`)."""
    out, codes, messages = check_frame(frame, rows=True)
    return out.loc[(codes == "").to_numpy()], codes, messages


def validate_events(events: pd.DataFrame) -> pd.DataFrame:
    """Validate (and coerce) the merged event table; a failure here is a library bug and raises."""
    return event_schema().validate(events, lazy=True)[EVENT_COLUMNS]


def codebook_markdown() -> str:
    """The clean event table's codebook as Markdown, generated from the schema."""
    lines = ["| column | type | may be missing | meaning |", "|---|---|---|---|"]
    for name, dtype, nullable, description, _ in _SPEC:
        kind = {"str": "text", "Int64": "integer", "int64": "integer", "Float64": "number",
                "datetime64[s]": "date"}[dtype]
        lines.append(f"| `{name}` | {kind} | {'yes' if nullable else 'no'} | {description} |")
    return "\n".join(lines) + "\n"

