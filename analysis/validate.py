"""The clean event table's schema: the codebook in code.

:class:`EventSchema` (a pandera ``DataFrameModel``) says for every column of ``events.csv`` its
type, allowed values, range and meaning; ``docs/codebook.md`` is generated from it
(:func:`codebook_markdown`), and a test keeps the two from drifting apart.

Rows are validated before merging (:func:`validate_rows`): every failure is collected at once and
each failing row goes to quarantine with a reason naming the column. The merged table is
validated again (:func:`validate_events`); a failure there is a bug in the library, not in the
input, and raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pandera is imported only when validation runs
    import pandera.pandas as pa

__all__ = ["event_schema", "validate_rows", "validate_events", "codebook_markdown",
           "EVENT_COLUMNS", "PRECISIONS", "GEO_PRECISIONS"]

PRECISIONS = ["day", "range", "week", "month"]
GEO_PRECISIONS = ["site", "town", "region", "country", ""]

#: name, dtype, nullable, description, extra checks (as pandera Field keywords)
_SPEC: list[tuple[str, str, bool, str, dict]] = [
    ("event_id", "str", False, "The coder's id of the event (of its first report when "
     "reports were merged); prefixed with the file name where two files use the same id.",
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
     "';' (file[sheet]:row for Excel).", {"str_length": {"min_value": 1}}),
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


def validate_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Validate cleaned rows; return the coerced frame and, per row, failure codes and messages.

    Every failure is collected (pandera's lazy mode); rows with a failure get the code
    ``schema`` and a message naming the column and the check.
    """
    import pandera.pandas as pa

    schema = event_schema(rows=True)
    codes = pd.Series("", index=frame.index, dtype=object)
    messages = pd.Series("", index=frame.index, dtype=object)
    try:
        return schema.validate(frame, lazy=True), codes, messages
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    bad_rows = cases.dropna(subset=["index"])
    unlocated = cases[cases["index"].isna()]
    if not unlocated.empty:  # a failure not tied to a row (a dtype the schema cannot coerce)
        raise RuntimeError(f"cleaned table does not fit the schema: {unlocated.to_dict('records')}")
    for idx, group in bad_rows.groupby("index"):
        texts = [f"{c if isinstance(c, str) else 'row'}: fails {k} (value {v!r})"
                 for c, k, v in zip(group["column"], group["check"], group["failure_case"],
                                    strict=True)]
        codes.at[idx] = "schema"
        messages.at[idx] = "; ".join(dict.fromkeys(texts))
    good = frame.loc[codes == ""]
    return schema.validate(good, lazy=True), codes, messages


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

