"""``python -m analysis``: see ``python -m analysis --help``."""

import os

# A command-line run is one short-lived process that makes and drops many arrays of tens of
# megabytes. NumPy asks Linux for transparent huge pages for each large array, and on a kernel
# set to ``madvise`` every such request can compact and zero 2 MB pages: on the benchmark
# machine that was a quarter of the wall time of cleaning a million rows (benchmarks/README.md).
# NumPy reads this documented switch once, when it is imported; a value set by the user wins.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
# Arrow's default allocator (mimalloc) asks for huge pages the same way unless told not to by
# its documented option, read when pyarrow first allocates: reading 1M rows took 1.3-1.5 s
# with it against 2.0-2.7 s without (kernel time 0.4-0.5 s against 1.0-2.2 s).
os.environ.setdefault("MIMALLOC_ALLOW_LARGE_OS_PAGES", "0")

from .cli import main  # noqa: E402  (after the switches, before NumPy and pyarrow load)

raise SystemExit(main())
