"""Every plot function draws and returns its Axes; rebuilt figures are byte-identical."""

from __future__ import annotations

import hashlib

import matplotlib
import pytest

matplotlib.use("Agg")

from analysis import paths  # noqa: E402
from analysis.products import load_processed, make_figures, make_tables  # noqa: E402


@pytest.fixture(scope="module")
def built():
    ds = load_processed(paths.PROCESSED, paths.RAW)
    return ds, make_tables(ds)


def test_every_figure_drawn(built, tmp_path):
    """make_figures writes PDF, PNG and SVG for every figure the paper needs."""
    ds, tables = built
    files = make_figures(ds, tables, tmp_path)
    names = {p.stem for p in files}
    assert names == {"weekly_attacks_by_country", "cumulative_vs_official_tallies",
                     "attacks_by_weapon_class", "casualties_with_uncertainty",
                     "injuries_vs_official_tallies", "attack_gaps", "changepoints",
                     "truce_and_strike_effects", "strike_attack_timeline"}
    assert all(p.stat().st_size > 1000 for p in files) and len(files) == 27


def test_plot_functions_return_axes(built):
    """Each plot_* takes a tidy table and an optional Axes and returns the Axes."""
    import matplotlib.pyplot as plt

    from analysis import figures as f

    ds, t = built
    fig, ax = plt.subplots()
    assert f.plot_weekly_attacks(t["weekly_attacks"], ax) is ax
    assert f.plot_attack_gaps(t["attack_gaps"]) is not None
    plt.close("all")


def test_rebuild_is_byte_identical(built, tmp_path):
    """Two rebuilds give byte-identical PDF, PNG and SVG files."""
    ds, tables = built

    def digest(folder):
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in make_figures(ds, tables, folder)}

    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_key_numbers_cover_every_headline(built):
    """Key numbers include each phase and country rate ratio, the ITS effects and the firsts,
    each naming the function that made it."""
    from analysis.products import key_numbers

    ds, tables = built
    kn = key_numbers(ds, tables).set_index("name")
    for phase in ("truce", "after truce", "after Tower 22", "after February strikes"):
        assert any(n.startswith("negbin_rate_ratio[C(phase") and n.endswith(f"[T.{phase}]]")
                   for n in kn.index), phase
    assert {"its_rate_ratio[truce]", "days_to_first_attack", "attacks_coded"} <= set(kn.index)
    assert kn["made_by"].str.startswith("analysis.").all()
