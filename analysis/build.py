"""``python -m analysis build``: data/raw -> data/processed -> tables, figures, key numbers,
rendered notebooks. Paths come from :mod:`analysis.paths`."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

from . import paths
from .errors import InputError

__all__ = ["build", "build_figures", "clean_raw", "render_notebooks", "BuildError"]


class BuildError(RuntimeError):
    """A build step failed for a reason other than bad input (e.g. a notebook cell)."""

INCIDENT_TABLES = ["attacks.csv", "us_strikes.csv"]


def _say(message: str) -> None:
    print(message, flush=True)


def clean_raw(raw_dir: Path = paths.RAW, out_dir: Path = paths.PROCESSED) -> list[Path]:
    """Clean the incident tables of ``raw_dir`` into ``out_dir``; say what was skipped."""
    from .export import write_outputs
    from .pipeline import clean_incidents
    from .read import read_tables

    if not raw_dir.is_dir():
        raise InputError("no such folder", file=str(raw_dir))
    inputs, skipped = [], []
    for path in sorted(p for p in raw_dir.iterdir() if p.suffix.lower() in {".csv", ".xlsx"}):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                read_tables([path])
        except InputError:
            skipped.append(path.name)
            continue
        inputs.append(path)
    if skipped:
        _say(f"  not incident tables (read by the analysis instead): {', '.join(skipped)}")
    if not inputs:
        _say(f"  no incident tables in {raw_dir}")
        return []
    result = clean_incidents(read_tables(inputs))
    written = write_outputs(result, out_dir)
    _say(f"  {', '.join(p.name for p in inputs)}: {result.summary()}")
    return list(written.values())


def _tables():
    """Tables, models and key numbers into data/processed and reports; the dataset and the
    tables, for the figures."""
    from .export import write_csv
    from .products import (
        COUNTRIES,
        DEFAULT_END,
        DEFAULT_START,
        key_numbers,
        load_processed,
        make_tables,
        write_tables,
    )

    ds = load_processed(paths.PROCESSED, paths.RAW)
    tables = make_tables(ds)
    written = write_tables(tables, paths.PROCESSED / "tables", DEFAULT_START, DEFAULT_END,
                           COUNTRIES)
    _say(f"  {len(written)} tables -> {paths.PROCESSED.relative_to(paths.ROOT)}/tables/")
    numbers = write_csv(key_numbers(ds, tables), paths.REPORTS / "key_numbers.csv")
    _say(f"  key numbers -> {numbers.relative_to(paths.ROOT)}")
    return ds, tables


def _figures(ds, tables) -> list[Path]:
    from .products import make_figures

    figures = make_figures(ds, tables, paths.FIGURES)
    _say(f"  {len(figures)} figure files -> {paths.FIGURES.relative_to(paths.ROOT)}/")
    return figures


def render_notebooks(src: Path = paths.NOTEBOOKS, out: Path = paths.RENDERED) -> list[Path]:
    """Execute every ``NN-*.ipynb`` in ``src`` (up to four kernels at a time, each in ``src``)
    and write the executed notebook and its HTML into ``out``."""
    from ._notebooks import render

    return render(src, out)


class _Notebooks:
    """The notebooks, rendered by a process of their own that starts at once: it starts the
    kernels and loads the modules the notebooks import while this process cleans, and runs
    their cells, told to go once the tables they read are written, while this one draws the
    figures. A process of its own, so that the notebooks' Python work (nbclient's message loops,
    the HTML export) does not share this process's interpreter lock with the figures; kernels
    started from threads of this process gave no faster build (benchmarks/README.md)."""

    def __init__(self, src: Path = paths.NOTEBOOKS, out: Path = paths.RENDERED) -> None:
        import os
        import subprocess
        import sys
        import tempfile

        fd, self._failure = tempfile.mkstemp(prefix="analysis-notebooks-", suffix=".txt")
        os.close(fd)
        # run from the folder that holds this very package, so that the process imports it
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "analysis._notebooks", str(Path(src).resolve()),
             str(Path(out).resolve()), self._failure],
            stdin=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent, text=True)

    def _tell(self, word: str) -> None:
        try:
            self._proc.stdin.write(word + "\n")
            self._proc.stdin.close()
        except (BrokenPipeError, OSError, ValueError):  # it has stopped already: result says
            pass

    def go(self) -> None:
        """The tables are written: run the cells."""
        self._tell("go")

    def stop(self) -> None:
        """The build failed: shut the kernels down if their cells have not started, else let
        them finish; either way wait, and raise nothing."""
        self._tell("stop")
        self._proc.wait()
        Path(self._failure).unlink(missing_ok=True)

    def result(self) -> None:
        """Wait for the notebooks; a failed cell's message is raised as a BuildError."""
        status = self._proc.wait()
        failure = Path(self._failure)
        message = failure.read_text(encoding="utf-8").strip() if failure.exists() else ""
        failure.unlink(missing_ok=True)
        if status != 0:
            raise BuildError(message or f"rendering the notebooks stopped (exit status {status})")


def build(*, notebooks: bool = True) -> int:
    """Rebuild everything from ``data/raw``; print progress and where the outputs went."""
    from .manifest import verify_manifest

    start = time.perf_counter()
    steps = 3 + notebooks
    checked = verify_manifest(paths.RAW)
    _say(f"verified {len(checked)} raw files against data/raw/MANIFEST")
    # the notebooks read data/processed and the tables, never the figure files: their kernels
    # start while this process cleans, and their cells run while it draws the figures
    rendering = _Notebooks() if notebooks else None
    try:
        _say(f"[1/{steps}] cleaning {paths.RAW.relative_to(paths.ROOT)} -> "
             f"{paths.PROCESSED.relative_to(paths.ROOT)}")
        clean_raw()
        _say(f"[2/{steps}] tables, models and key numbers")
        ds, tables = _tables()
    except BaseException:
        if rendering is not None:
            rendering.stop()  # the waiting kernels are shut down, the error raised
        raise
    if rendering is not None:
        rendering.go()
        _say(f"[3/{steps}] notebooks -> {paths.RENDERED.relative_to(paths.ROOT)}/, "
             "while the figures are drawn")
    _say(f"[{steps}/{steps}] figures")
    try:
        _figures(ds, tables)
    except BaseException:
        if rendering is not None:
            rendering.stop()
        raise
    if rendering is not None:
        rendering.result()  # a failed cell's BuildError is raised here
    _say(f"done in {time.perf_counter() - start:.1f} s")
    return 0


def build_figures() -> int:
    """Rebuild only the figures (and the tables they draw) from ``data/processed``."""
    from .products import load_processed, make_figures, make_tables

    ds = load_processed(paths.PROCESSED, paths.RAW)
    files = make_figures(ds, make_tables(ds), paths.FIGURES)
    _say(f"{len(files)} figure files -> {paths.FIGURES.relative_to(paths.ROOT)}/")
    return 0
