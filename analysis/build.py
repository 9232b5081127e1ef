"""``python -m analysis build``: data/raw -> data/processed -> tables, figures, key numbers,
rendered notebooks. Paths come from :mod:`analysis.paths`."""

from __future__ import annotations

import time
import warnings
from concurrent.futures import ThreadPoolExecutor
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


def _render_one(nb_path: Path, out: Path) -> list[Path]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    nb = nbformat.read(nb_path, as_version=4)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(nb_path.parent)}}).execute()
    except CellExecutionError as exc:
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "error"
        raise BuildError(f"{nb_path.name}: a cell failed: {first}") from None
    target = out / nb_path.name
    nbformat.write(nb, target)
    html, _ = HTMLExporter().from_notebook_node(nb)
    target.with_suffix(".html").write_text(html, encoding="utf-8")
    _say(f"  executed {nb_path.name}")
    return [target, target.with_suffix(".html")]


def render_notebooks(src: Path = paths.NOTEBOOKS, out: Path = paths.RENDERED) -> list[Path]:
    """Execute every ``NN-*.ipynb`` in ``src`` (two kernels at a time, each in ``src``) and
    write the executed notebook and its HTML into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    books = sorted(src.glob("[0-9][0-9]-*.ipynb"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda p: _render_one(p, out), books))
    return [p for paths_ in done for p in paths_]


def build(*, notebooks: bool = True) -> int:
    """Rebuild everything from ``data/raw``; print progress and where the outputs went."""
    from .manifest import verify_manifest

    start = time.perf_counter()
    steps = 3 + notebooks
    checked = verify_manifest(paths.RAW)
    _say(f"verified {len(checked)} raw files against data/raw/MANIFEST")
    _say(f"[1/{steps}] cleaning {paths.RAW.relative_to(paths.ROOT)} -> "
         f"{paths.PROCESSED.relative_to(paths.ROOT)}")
    clean_raw()
    _say(f"[2/{steps}] tables, models and key numbers")
    ds, tables = _tables()
    # the notebooks read data/processed and the tables just written, never the figure files:
    # their kernels run while this process draws the figures (two cores busy, not one)
    with ThreadPoolExecutor(max_workers=1) as pool:
        rendering = None
        if notebooks:
            _say(f"[3/{steps}] notebooks -> {paths.RENDERED.relative_to(paths.ROOT)}/, "
                 "while the figures are drawn")
            rendering = pool.submit(render_notebooks)
        _say(f"[{steps}/{steps}] figures")
        _figures(ds, tables)
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
