"""Countries and sites through alias tables and the gazetteer."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.clean.places import lookup_country, match_sites, normalise_countries
from analysis.reference import load_gazetteer

GAZ = pd.DataFrame({"site_id": ["S1"], "name": ["Tower 22"], "country_iso3": ["JOR"],
                    "admin1": ["Mafraq"], "latitude": ["33.3"], "longitude": ["38.7"],
                    "geo_precision": ["site"], "aliases": ["T22"]})


@pytest.mark.parametrize(("text", "expected"), [
    ("Iraq", ("Iraq", "IRQ")), (" syria ", ("Syria", "SYR")), ("JOR", ("Jordan", "JOR")),
    ("Syrian Arab Republic", ("Syria", "SYR")), ("العراق", ("Iraq", "IRQ")),
    ("Germany", ("Germany", "DEU")), ("Atlantis", ("", "")), ("", ("", "")),
])
def test_lookup_country(text, expected):
    """Names, codes and Arabic names resolve; unknowns do not."""
    assert lookup_country(text) == expected


@pytest.mark.parametrize("spelling", [
    "Ain al-Asad", "ain al asad", "AIN AL-ASSAD", "Ayn al-Asad air base", "al-Asad airbase",
    "Ain\u00a0al\u2011Asad", "عين الأسد"])
def test_asad_spellings(make_rows, spelling):
    """Spelling variants of one base all reach its gazetteer entry."""
    df = make_rows(location=[spelling], country=["Iraq"], country_iso3=["IRQ"])
    from analysis.clean.text import normalise_text_columns

    df, _ = normalise_text_columns(df, ["location"])
    out, _ = match_sites(df)
    assert out["site_id"].tolist() == ["IQ-ASAD"]


def test_gazetteer_covers_campaign_sites():
    """Every site the issue names is in the shipped gazetteer with coordinates."""
    gaz = load_gazetteer()
    for sid in ["IQ-ASAD", "SY-TANF", "IQ-ERBIL-AB", "IQ-HARIR", "IQ-UNION3", "IQ-VICTORY",
                "IQ-EMBASSY", "SY-EUPHRATES", "SY-GREENVILLAGE", "SY-SHADDADI", "SY-RUMALYN",
                "SY-TELLBAYDAR", "SY-QASRAK", "JO-TOWER22", "IQ-JURF", "IQ-QAIM", "IQ-AKASHAT",
                "SY-ABUKAMAL", "SY-MAYADIN", "SY-DEIREZZOR"]:
        row = gaz.loc[gaz["site_id"] == sid]
        assert len(row) == 1 and row["latitude"].iat[0] and row["longitude"].iat[0], sid
    assert not gaz["site_id"].duplicated().any()


def test_unknown_site_kept_and_flagged(make_rows):
    """An unknown site keeps its name, gets no id and is flagged, never dropped."""
    df = make_rows(location=["Camp Nowhere"], country=["Iraq"], country_iso3=["IRQ"])
    out, _ = match_sites(df, gazetteer=GAZ)
    assert out[["site", "site_id", "geo_precision", "flags"]].values.tolist() == [
        ["Camp Nowhere", "", "country", "unknown_site"]]


def test_country_from_site_and_mismatch(make_rows):
    """A blank country is filled from the site (logged); a disagreeing one is flagged."""
    df = make_rows(location=["T22", "T22"], country=["", "Syria"], country_iso3=["", "SYR"])
    out, changes = match_sites(df, gazetteer=GAZ)
    assert out["country"].tolist() == ["Jordan", "Syria"]
    assert out["flags"].tolist() == ["", "site_country_mismatch"]
    assert "country_from_site" in changes["rule"].tolist()


def test_blank_country_unknown_site_is_a_problem(make_rows):
    """No country and no known site: the row cannot be placed and goes to quarantine."""
    df = make_rows(location=["somewhere"], country=[""], country_iso3=[""])
    out, _ = match_sites(df, gazetteer=GAZ)
    assert out["problem_codes"].tolist() == ["missing_country"]


def test_countries_logged(make_rows):
    """A renamed country is logged with its rule; an unknown one is flagged."""
    out, changes = normalise_countries(make_rows(country=["SYR", "Iraq", "Narnia"]))
    assert changes[["raw_value", "clean_value", "rule"]].values.tolist() == [
        ["SYR", "Syria", "country_alias"]]
    assert out["flags"].tolist() == ["", "", "unknown_country"]
