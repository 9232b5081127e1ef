"""``python -m analysis``: see ``python -m analysis --help``."""

import os
import sys

# A command-line run is one short-lived process that makes and drops many arrays of tens of
# megabytes. On a Linux kernel whose transparent huge pages are set to ``madvise``, NumPy (for
# every large array) and Arrow's allocator (for its 1 GiB arena) ask for 2 MB pages, and every
# such page is compacted and zeroed when first touched: on the benchmark machine that was a
# quarter of the wall time of cleaning a million rows (benchmarks/README.md). NumPy reads its
# documented switch once, when it is imported (a value set by the user wins); the kernel's
# per-process switch (prctl PR_SET_THP_DISABLE, kept by child processes such as notebook
# kernels) covers every allocator at once.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
if sys.platform == "linux":
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(41, 1, 0, 0, 0)  # 41: PR_SET_THP_DISABLE
    except (OSError, AttributeError):  # no prctl here: run with the kernel's default
        pass

from .cli import main  # noqa: E402  (after the switches, before NumPy and pyarrow load)

raise SystemExit(main())
