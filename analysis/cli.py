"""The command line: ``python -m analysis clean|build|figures|codebook``.

Bad input ends with a one-line message on standard error naming the file (and the row and
column where there is one) and exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from .errors import InputError

__all__ = ["main"]

_EPILOG = """examples:
  python -m analysis clean data/raw/attacks.csv --out /tmp/clean
  python -m analysis clean survey.xlsx --sheet Incidents --out out/
  python -m analysis build
  python -m analysis manifest --update     (after a deliberate change to data/raw)
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Clean hand-coded incident tables and rebuild this project's tables, "
                    "figures and notebooks.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser(
        "clean", help="clean any hand-coded incident table(s) (CSV or XLSX)",
        description="Clean hand-coded incident tables into DIR: events.csv, events.parquet, "
                    "quarantine.csv (unusable rows, each with a reason) and changes.csv (every "
                    "cell cleaning changed or interpreted). Every input row ends up in exactly "
                    "one event or in quarantine. Exit status 0 when it ran (quarantined rows "
                    "included), 2 when an input cannot be used at all.")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="CSV or XLSX files")
    c.add_argument("--out", required=True, metavar="DIR", help="folder for the outputs")
    c.add_argument("--sheet", action="append", metavar="NAME",
                   help="Excel: read this sheet (repeatable); default: every visible sheet "
                        "whose header fits the codebook")
    c.add_argument("--encoding", metavar="ENC",
                   help="CSV: the files' encoding when not UTF-8 (e.g. cp1252, cp1256)")
    c.add_argument("--date-order", choices=["dmy", "mdy"],
                   help="settle numeric dates such as 03/11/2023 whose order is ambiguous "
                        "(default: the order the same file uses unambiguously, else quarantine)")
    c.add_argument("--xlsx", action="store_true",
                   help="also write events.xlsx (text cells stored as text, never formulas; a text "
                        "longer than the 32,767 characters a cell holds is cut, with a note)")
    b = sub.add_parser("build", help="rebuild data/processed, figures, key numbers and "
                                     "rendered notebooks from data/raw")
    b.add_argument("--no-notebooks", action="store_true", help="skip executing the notebooks")
    sub.add_parser("figures", help="rebuild only the figures from data/processed")
    m = sub.add_parser("manifest", help="verify data/raw against data/raw/MANIFEST (SHA-256 "
                       "per file), or record it anew with --update after a deliberate change")
    m.add_argument("--update", action="store_true", help="record the current hashes")
    cb = sub.add_parser("codebook", help="print the clean event table's codebook (Markdown)")
    cb.add_argument("--write", metavar="FILE", help="write it to FILE instead")
    return p


def _without_huge_pages() -> None:
    """Turn transparent huge pages off for this process (Linux's ``PR_SET_THP_DISABLE``).

    Arrow's allocator asks for them for its 1 GiB arena, and on a kernel set to ``madvise``
    each 2 MB page is compacted and zeroed when first touched: reading a million rows on the
    benchmark machine took 1.3-1.5 s without them against 1.9-2.6 s with them
    (benchmarks/README.md). Only ``clean`` does this: ``build`` works on small tables."""
    import sys

    if sys.platform == "linux":
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(41, 1, 0, 0, 0)  # 41: PR_SET_THP_DISABLE
        except (OSError, AttributeError):  # no prctl here: the kernel's default stands
            pass


def _clean(args: argparse.Namespace) -> int:
    from ._memory import release_freed_memory
    from .export import excel_fits, write_outputs
    from .pipeline import clean_incidents
    from .read import read_tables

    if not args.out.strip():
        raise InputError("--out needs a folder name")
    out = Path(args.out)
    try:  # before the work, so that a wrong --out costs no time
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out {args.out}: cannot be used as the output folder "
                         f"({exc.strerror or exc})") from None
    _without_huge_pages()
    # the raw table is not kept: passed straight in, it is freed once cleaning is done with it
    result = clean_incidents(read_tables(args.inputs, sheets=args.sheet, encoding=args.encoding,
                                         categories=True),
                             date_order=args.date_order,
                             categories=True)  # the files are the same, the memory less
    release_freed_memory(result.n_raw_rows)  # the writers then start from a smaller heap
    if args.xlsx:
        try:
            excel_fits(result.events)
        except ValueError as exc:
            raise InputError(f"--xlsx: the events table's {exc}; nothing was written: run "
                             "again without --xlsx for the CSV and parquet files") from None
    try:
        paths = write_outputs(result, args.out, excel=args.xlsx)
    except OSError as exc:  # a folder where a file should go, a full disk, ...
        raise InputError(f"--out {args.out}: cannot write {exc.filename or 'the outputs'} "
                         f"({exc.strerror or exc})") from None
    print(result.summary())
    for name, path in paths.items():
        print(f"  {name:<16} {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if args.command == "clean":
                status = _clean(args)
            elif args.command == "build":
                from .build import build

                status = build(notebooks=not args.no_notebooks)
            elif args.command == "manifest":
                from . import paths
                from .manifest import verify_manifest, write_manifest

                if args.update:
                    print(f"recorded {write_manifest(paths.RAW)}")
                else:
                    print(f"verified {len(verify_manifest(paths.RAW))} raw files against "
                          "data/raw/MANIFEST")
                status = 0
            elif args.command == "figures":
                from .build import build_figures

                status = build_figures()
            else:
                from .validate import codebook_markdown

                text = codebook_markdown()
                if args.write:
                    Path(args.write).write_text(text, encoding="utf-8")
                else:
                    sys.stdout.write(text)
                status = 0
        except InputError as exc:
            status = 2
            print(f"error: {exc}", file=sys.stderr)
        except RuntimeError as exc:
            if type(exc).__name__ != "BuildError":
                raise
            status = 1
            print(f"error: {exc}", file=sys.stderr)
        for w in caught:
            if issubclass(w.category, UserWarning):
                print(f"note: {w.message}", file=sys.stderr)
    return status
