"""Actors, targets, claims and confirmations."""

from __future__ import annotations

from analysis.clean.actors import canonical_actor, normalise_actors, normalise_confirmation


def test_umbrella_stays_distinct():
    """The umbrella and its member groups keep their own canonical names."""
    assert canonical_actor("Islamic Resistance in Iraq")[0] == "Islamic Resistance in Iraq"
    assert canonical_actor("Kataib Hezbollah")[0] == "Kataib Hezbollah"
    assert canonical_actor("Harakat al-Nujaba")[0] == "Harakat Hezbollah al-Nujaba"


def test_claim_attribution_confirmation_separate(make_rows):
    """claimed_by, attributed_by and confirmed_by_us are cleaned side by side, never merged."""
    df = make_rows(actor=["KH"], target=["US troops"], claimed_by=["IRI; Kata'ib Hizballah"],
                   attributed_by=["Iran-backed militias"], confirmed_by_us=["Y"])
    out, _ = normalise_actors(df)
    out, _ = normalise_confirmation(out)
    assert out.loc[0, ["actor", "actor_umbrella", "target", "claimed_by", "attributed_by",
                       "confirmed_by_us"]].tolist() == [
        "Kataib Hezbollah", "Islamic Resistance in Iraq", "US forces",
        "Islamic Resistance in Iraq; Kataib Hezbollah", "Iran-backed groups", "yes"]


def test_unknown_names_kept_flagged_and_blank_actor(make_rows):
    """Unknown names stay as written with a flag; a blank actor becomes 'unknown' (logged)."""
    df = make_rows(actor=["Saraya X", ""], target=["US forces", ""], claimed_by=["", ""],
                   attributed_by=["", ""])
    out, changes = normalise_actors(df)
    assert out["actor"].tolist() == ["Saraya X", "unknown"]
    assert out["flags"].tolist() == ["unknown_actor", "missing_target"]
    assert "blank_is_unknown" in changes["rule"].tolist()
