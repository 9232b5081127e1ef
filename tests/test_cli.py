"""The command line: outputs, exit codes, one-line errors and no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parent / "data"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_clean_writes_the_four_outputs(tmp_path):
    """clean writes events (CSV and parquet), quarantine and changes, and exits 0."""
    r = run("clean", str(DATA / "messy_incidents.csv"), "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "19 raw rows -> 9 events" in r.stdout
    for name in ("events.csv", "events.parquet", "quarantine.csv", "changes.csv"):
        assert (tmp_path / name).exists()
    events = pd.read_csv(tmp_path / "events.csv", dtype=str, keep_default_na=False)
    assert list(events.columns[:20]) == [
        "event_id", "date_start", "date_end", "date_precision", "country", "country_iso3",
        "site", "site_id", "latitude", "longitude", "admin1", "geo_precision", "actor",
        "actor_kind", "actor_umbrella", "target", "weapon_class", "killed_low", "killed_best",
        "killed_high"]
    assert events["date_start"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    parquet = pd.read_parquet(tmp_path / "events.parquet")
    assert parquet["injured_best"].dtype == "Int64" and len(parquet) == len(events)


def test_quarantine_csv_is_injection_safe(tmp_path):
    """A formula-like raw cell is escaped in quarantine.csv."""
    run("clean", str(DATA / "messy_incidents.csv"), "--out", str(tmp_path))
    q = pd.read_csv(tmp_path / "quarantine.csv", dtype=str, keep_default_na=False)
    assert q.loc[q["source_row"] == "17", "date"].item() == "'=HYPERLINK(\"x\")"


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"date,country\n2023-10-18,Iraq\n", "a.csv", "error: a.csv: missing required column(s)"),
    (b"", "a.csv", "error: a.csv: file is empty"),
    (b"event_id,date\n\xe9\n", "a.csv", "error: a.csv: not valid utf-8 at line 2"),
    (b"not a zip", "a.xlsx", "error: a.xlsx: not a readable .xlsx workbook"),
])
def test_unusable_input_one_line_no_traceback(tmp_path, content, name, message):
    """Unusable input: exit 2 and one line on stderr naming the file, never a traceback."""
    bad = tmp_path / name
    bad.write_bytes(content)
    r = run("clean", str(bad), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    assert r.stderr.startswith(message), r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_missing_file(tmp_path):
    """A missing input is a one-line error, not a traceback."""
    r = run("clean", str(tmp_path / "nope.csv"), "--out", str(tmp_path))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr


def test_help_explains_itself():
    """--help at both levels describes the commands and the outputs."""
    top, sub = run("--help"), run("clean", "--help")
    assert top.returncode == 0 and "clean" in top.stdout and "build" in top.stdout
    assert "quarantine.csv" in sub.stdout and "--date-order" in sub.stdout
