"""Text columns between pandas and Arrow without copies into Python objects where possible.

Shared by the steps and the writer that work on whole text columns with Arrow's kernels.
pyarrow is imported only when these are called.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: pandas' default text dtype (Arrow-backed, NaN for missing), as the reader produces it.
STR = pd.StringDtype("pyarrow", na_value=np.nan)


def to_arrow_text(values: pd.Series, *, missing_as_empty: bool = False):
    """``values`` as one Arrow large_string array: zero-copy for Arrow-backed text; object
    columns are converted (any non-text cell through ``str``). Missing cells stay null unless
    ``missing_as_empty``."""
    import pyarrow as pa

    if isinstance(values.array, pd.arrays.ArrowStringArray):
        arr = pa.array(values.array)  # the public Arrow protocol: no copy
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        arr = arr.cast(pa.large_string())
    else:
        try:
            arr = pa.array(values.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):  # numbers or dates among the text
            arr = pa.array(values.astype("str"), type=pa.large_string(), from_pandas=True)
    return arr.fill_null("") if missing_as_empty else arr


def str_series(arr, index: pd.Index) -> pd.Series:
    """A pandas ``str`` column over an Arrow string array (no copy into Python objects)."""
    import pyarrow as pa

    return pd.Series(pd.arrays.ArrowStringArray(arr.cast(pa.large_string()), dtype=STR),
                     index=index)


def join_groups(items, group: np.ndarray, n_groups: int, sep: str):
    """Per group ``0..n_groups-1``, its ``items`` (an Arrow string array) joined by ``sep`` in
    order; ``group`` (sorted) gives each item's group, and a group without items gets ``""``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = np.r_[0, np.cumsum(np.bincount(group, minlength=n_groups))].astype("int64")
    return pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets), items),
                          pa.scalar(sep, pa.large_string()))


def as_str(values: pd.Series) -> pd.Series:
    """A text column as pandas ``str``; a ``category`` column through Arrow (its categories
    taken by its codes), so no Python string is made per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.dtype == "str":
        return values
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = to_arrow_text(pd.Series(values.cat.categories, dtype=object))
        codes = values.cat.codes.to_numpy()
        return str_series(pc.take(cats, pa.array(codes, mask=codes < 0)), values.index)
    return values.astype("str")
