"""``python -m analysis``: see ``python -m analysis --help``."""

import os

# A command-line run is one short-lived process that makes and drops many arrays of tens of
# megabytes. NumPy asks Linux for transparent huge pages for each large array, and on a kernel
# set to ``madvise`` every such request can compact and zero 2 MB pages: on the benchmark
# machine that was a quarter of the wall time of cleaning a million rows (benchmarks/README.md).
# NumPy reads this documented switch once, when it is imported; a value set by the user wins.
# (``clean`` also turns huge pages off for its whole process: see ``cli._clean``.)
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

from .cli import main  # noqa: E402  (after the switch, before NumPy is imported)

raise SystemExit(main())
