"""The build's order: tables first, then the notebooks run while the figures are drawn."""

from __future__ import annotations

import threading

import pytest


def test_notebooks_run_while_figures_are_drawn_and_a_failure_is_raised(monkeypatch):
    """The notebooks start after the tables are written (they read them) and run while the
    figures are drawn; a notebook's failure reaches the caller as a BuildError once the
    figures are done."""
    import analysis.build as build
    import analysis.manifest as manifest

    seen = []
    drawing = threading.Event()

    def tables():
        seen.append("tables")
        return None, None

    def notebooks():
        seen.append("notebooks start")
        seen.append("figures began meanwhile" if drawing.wait(10) else "figures waited")
        raise build.BuildError("01-x.ipynb: a cell failed: boom")

    def figures(ds, tables):
        drawing.set()
        seen.append("figures")
        return []

    monkeypatch.setattr(manifest, "verify_manifest", lambda raw: [])
    monkeypatch.setattr(build, "clean_raw", lambda: [])
    monkeypatch.setattr(build, "_tables", tables)
    monkeypatch.setattr(build, "render_notebooks", notebooks)
    monkeypatch.setattr(build, "_figures", figures)
    with pytest.raises(build.BuildError, match="01-x.ipynb"):
        build.build()
    assert seen[0] == "tables" and "figures" in seen
    assert "figures began meanwhile" in seen

    seen.clear()
    assert build.build(notebooks=False) == 0
    assert seen == ["tables", "figures"]
