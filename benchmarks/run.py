"""Speed and memory of the cleaning library, measured side by side with the I/O floor.

    python benchmarks/run.py            # 100k and 1M rows (a few minutes)
    python benchmarks/run.py --quick    # 100k rows only

Prints a table; it is a measurement, not a test. For each size it generates a messy table
(benchmarks/generate.py, deterministic), then runs, each in a fresh process:

- the I/O floor: read the CSV with pyarrow (every column as text, embedded newlines allowed)
  and write it as parquet, with the memory switches ``python -m analysis clean`` sets for
  itself;
- ``python -m analysis clean`` end to end (read, clean, validate, merge, write four files);

and reports wall time, rows per second, peak memory (the process's maximum resident set) and the
ratio to the floor: medians of ``--repeat`` runs (default 3, floor and clean alternating), because
single runs on a small virtual machine vary by a fifth or more. This runner imports only the
standard library and runs every measurement in its own process: on Linux a child's maximum
resident set includes the parent's size at fork, so a heavy runner would inflate every reading.
At 100k rows it also times the row-by-row baseline (benchmarks/rowwise.py) against the library's
cleaning steps and checks that both give identical values on every single-report event. Finally
it times the library's import against ``import pandas`` and, with --build,
``python -m analysis build`` (``--repeat`` times, the median shown).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"

FLOOR = """
import sys, pyarrow as pa, pyarrow.csv as pc, pyarrow.parquet as pq
src, dst = sys.argv[1], sys.argv[2]
header = open(src, encoding="utf-8").readline().strip().split(",")
t = pc.read_csv(src, parse_options=pc.ParseOptions(newlines_in_values=True),
                convert_options=pc.ConvertOptions(
                    strings_can_be_null=False, column_types={c: pa.string() for c in header}))
pq.write_table(t, dst)
"""


def _like_analysis() -> None:
    """Run in the floor's process before it starts: the switches ``python -m analysis clean``
    sets for itself (``analysis/__main__.py`` and ``cli._without_huge_pages``, repeated here
    because this runner imports only the standard library), so that both sides get memory from
    the kernel the same way: NumPy's huge-page switch and no transparent huge pages."""
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(41, 1, 0, 0, 0)  # 41: PR_SET_THP_DISABLE


def timed(cmd: list[str], setup=None) -> tuple[float, float]:
    """Run ``cmd`` (``setup`` first, in the child); return (wall seconds, peak resident memory
    in MB of 10^6 bytes, as the CSV's size) of that process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=setup)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss * 1024 / 1e6  # KiB -> MB, the unit of the CSV's size


def dataset(rows: int) -> Path:
    path = DATA / f"messy_{rows}.csv"
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--generate", str(rows), str(path)], check=True)
    return path


def compare_rowwise(path: Path) -> tuple[float, float, int, int]:
    """(row-by-row seconds, library cleaning-steps seconds, rows compared, mismatches); run in
    a subprocess (``run.py --compare PATH``) so the runner stays small."""
    sys.path.insert(0, str(HERE))
    import pandas as pd
    from rowwise import clean_rowwise

    from analysis import clean_incidents, read_table

    t0 = time.perf_counter()
    expected = clean_rowwise(path)
    t_row = time.perf_counter() - t0
    raw = read_table(path)
    t0 = time.perf_counter()
    result = clean_incidents(raw)
    t_lib = time.perf_counter() - t0
    single = result.events.loc[result.events["n_reports"] == 1]
    mismatches = 0
    for rec in single.itertuples(index=False):
        want = expected[int(rec.raw_rows.rsplit(":", 1)[1])]
        for col, value in want.items():
            got = getattr(rec, col)
            got = None if got is None or (not isinstance(got, str) and pd.isna(got)) else got
            if isinstance(got, pd.Timestamp):
                got = got.date()
            if got != value:
                mismatches += 1
                break
    return t_row, t_lib, len(single), mismatches


def import_times(repeat: int = 7) -> tuple[float, float, float, float]:
    """Median wall times of a bare interpreter, ``import pandas``, ``import analysis`` and the
    public API's import, each in a fresh process; taken in turn, round after round, so that a
    slow spell of the machine hits all four alike."""
    codes = ["pass", "import pandas", "import analysis",
             "from analysis import read_table, clean_incidents"]
    runs: list[list[float]] = [[] for _ in codes]
    for _ in range(repeat):
        for code, times in zip(codes, runs, strict=True):
            times.append(timed([sys.executable, "-c", code])[0])
    base, pandas_s, analysis_s, api_s = (statistics.median(t) for t in runs)
    return base, pandas_s, analysis_s, api_s


def main() -> None:
    p = argparse.ArgumentParser(description="speed and memory benchmark")
    p.add_argument("--quick", action="store_true", help="100k rows only")
    p.add_argument("--build", action="store_true", help="also time `python -m analysis build`")
    p.add_argument("--repeat", type=int, default=3, metavar="N",
                   help="runs of the floor and of clean per size; medians are shown (default 3)")
    p.add_argument("--compare", metavar="CSV", help=argparse.SUPPRESS)
    p.add_argument("--generate", nargs=2, metavar=("ROWS", "CSV"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.compare:  # the row-by-row comparison, in its own process
        print(json.dumps(compare_rowwise(Path(args.compare))))
        return
    if args.generate:
        sys.path.insert(0, str(HERE))
        from generate import write

        write(int(args.generate[0]), args.generate[1])
        return
    DATA.mkdir(exist_ok=True)
    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    versions = subprocess.run(
        [sys.executable, "-c", "import numpy, pandas, pyarrow; print(pandas.__version__, "
         "numpy.__version__, pyarrow.__version__)"], capture_output=True, text=True).stdout.split()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, pandas {versions[0]}, numpy {versions[1]}, "
          f"pyarrow {versions[2]}")
    print(f"{'rows':>9} {'step':<34} {'seconds':>8} {'rows/s':>10} {'peak MB':>8} {'x floor':>8}")
    for rows in sizes:
        path = dataset(rows)
        size_mb = path.stat().st_size / 1e6
        floors, cleans = [], []
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.repeat):  # alternating, so that a slow spell hits both
                floors.append(timed([sys.executable, "-c", FLOOR, str(path),
                                     str(Path(tmp) / "floor.parquet")],
                                    setup=_like_analysis))
                cleans.append(timed([sys.executable, "-m", "analysis", "clean", str(path),
                                     "--out", str(Path(tmp) / "out")]))
        floor_s, floor_mb = (statistics.median(v) for v in zip(*floors, strict=True))
        clean_s, clean_mb = (statistics.median(v) for v in zip(*cleans, strict=True))
        print(f"{rows:>9,} {'I/O floor (pyarrow read + parquet)':<34} {floor_s:>8.2f} "
              f"{rows / floor_s:>10,.0f} {floor_mb:>8.0f} {1:>8.1f}")
        print(f"{rows:>9,} {'analysis clean, end to end':<34} {clean_s:>8.2f} "
              f"{rows / clean_s:>10,.0f} {clean_mb:>8.0f} {clean_s / floor_s:>8.1f}")
        print(f"{'':>9} CSV {size_mb:.0f} MB; clean peak memory = {clean_mb / size_mb:.1f} x the "
              "CSV's size")
        if args.repeat > 1:
            print(f"{'':>9} medians of {args.repeat} runs each; clean took "
                  f"{min(c[0] for c in cleans):.2f}-{max(c[0] for c in cleans):.2f} s, the floor "
                  f"{min(f[0] for f in floors):.2f}-{max(f[0] for f in floors):.2f} s")
    out = subprocess.run([sys.executable, __file__, "--compare", str(dataset(100_000))],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    t_row, t_lib, n, bad = json.loads(out.strip().splitlines()[-1])
    print(f"\nrow-by-row baseline at 100,000 rows: {t_row:.2f} s; the library's clean_incidents "
          f"(all steps, no file I/O): {t_lib:.2f} s; ratio {t_row / t_lib:.1f}x; "
          f"identical values on {n - bad:,} of {n:,} single-report events")
    base, pd_s, an_s, api_s = import_times()
    print(f"import pandas {pd_s - base:.3f} s; import analysis {an_s - base:.3f} s (lazy: loads "
          f"no pandas); from analysis import read_table, clean_incidents {api_s - base:.3f} s "
          f"= {(api_s - base) / (pd_s - base):.2f} x import pandas (interpreter start "
          f"{base:.3f} s subtracted; medians of 7)")
    if args.build:  # as many runs as of clean: one reading on a noisy machine decides nothing
        builds = [timed([sys.executable, "-m", "analysis", "build"]) for _ in range(args.repeat)]
        b, mb = (statistics.median(v) for v in zip(*builds, strict=True))
        spread = (f" (median of {args.repeat}: {min(r[0] for r in builds):.1f}-"
                  f"{max(r[0] for r in builds):.1f} s)" if args.repeat > 1 else "")
        print(f"python -m analysis build: {b:.1f} s{spread}, peak {mb:.0f} MB")


if __name__ == "__main__":
    main()
