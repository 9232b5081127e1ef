"""Raw data stay untouched: the manifest is verified, and a changed file stops the build."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.manifest import compute_manifest, verify_manifest, write_manifest


def test_repository_raw_data_match_manifest():
    """data/raw matches data/raw/MANIFEST as committed."""
    assert verify_manifest(paths.RAW) == sorted(compute_manifest(paths.RAW))


def test_changed_added_and_missing_files_are_named(tmp_path):
    """A changed, a new and a missing file are each named in one clear error."""
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    (raw / "attacks.csv").write_text("changed\n", encoding="utf-8")
    (raw / "new.csv").write_text("x\n", encoding="utf-8")
    (raw / "context.csv").unlink()
    with pytest.raises(InputError) as info:
        verify_manifest(raw)
    message = str(info.value)
    assert "attacks.csv changed" in message and "new.csv is new" in message
    assert "context.csv is missing" in message and "manifest --update" in message
    write_manifest(raw)
    assert "new.csv" in verify_manifest(raw)


def test_build_stops_on_changed_raw_data(tmp_path):
    """`build` refuses to run on raw data that differ from the manifest (exit 2, one line)."""
    repo = tmp_path / "repo"
    shutil.copytree(paths.ROOT / "analysis", repo / "analysis")
    shutil.copytree(paths.RAW, repo / "data" / "raw")
    with (repo / "data" / "raw" / "attacks.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    r = subprocess.run([sys.executable, "-m", "analysis", "build", "--no-notebooks"],
                       cwd=repo, capture_output=True, text=True)
    assert r.returncode == 2
    assert "attacks.csv changed" in r.stderr and "Traceback" not in r.stderr
