"""Weapon text into a closed list of classes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.clean.weapons import WEAPON_CLASSES, classify_weapon


@pytest.mark.parametrize(("text", "cls"), [
    ("one-way attack drone", "drone"), ("UAV", "drone"), ("Katyusha rockets", "rocket"),
    ("107mm rockets", "rocket"), ("close-range ballistic missile", "ballistic missile"),
    ("60mm mortar rounds", "mortar"), ("airstrike", "airstrike"), ("F-15E precision strikes",
    "airstrike"), ("AC-130 gunship", "gunship"), ("small arms fire", "small arms"),
    ("IED", "explosive device"), ("drones and rockets", "mixed"), ("", "unknown"),
    ("artillery", "unknown"), ("طائرة مسيرة", "drone"),
])
def test_classes(text, cls):
    """Keywords give a class; two classes give mixed; none gives unknown."""
    assert classify_weapon(text) == cls


@given(st.text(max_size=40))
def test_always_a_listed_class(text):
    """Any text gets one of the closed list's classes."""
    assert classify_weapon(text) in WEAPON_CLASSES
