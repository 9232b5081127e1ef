"""Text normalisation before matching: Unicode NFC, invisible characters, look-alike spaces,
hyphens and quotes, and stray white space."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ._log import concat_changes, empty_changes, factorize_text, log_changes, text_column

__all__ = ["normalise_text", "normalise_key", "normalise_text_columns", "unchanged_by_normalising"]

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
                               "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)
_LOOKALIKE = str.maketrans({
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ",
    "\u2003": " ", "\u3000": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\ufe63": "-", "\uff0d": "-",
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
})
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Return ``text`` in NFC with invisible characters removed, look-alike spaces, hyphens and
    quotes replaced by their ASCII forms, and runs of white space collapsed and stripped.

    Examples
    --------
    >>> normalise_text("  Ain\\u00a0al\\u2011Asad\\u200b ")
    'Ain al-Asad'
    >>> normalise_text("Kata\\u2019ib  Hezbollah")
    "Kata'ib Hezbollah"
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_LOOKALIKE)
    return _SPACE.sub(" ", text).strip()


_KEY_DROP = re.compile(r"['\".,()\[\]]")
_KEY_SEP = re.compile(r"[-_/\s]+")


def normalise_key(text: str) -> str:
    """A matching key: normalised text, accents stripped, case folded, punctuation dropped,
    hyphens and spaces unified, and a leading ``the`` removed.

    Examples
    --------
    >>> normalise_key("Kata'ib  Hizballah")
    'kataib hizballah'
    >>> normalise_key("The  Ain al-Asad")
    'ain al asad'
    """
    text = unicodedata.normalize("NFKD", normalise_text(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or ord(ch) > 0x5FF)
    text = unicodedata.normalize("NFC", text).casefold()
    text = _KEY_SEP.sub(" ", _KEY_DROP.sub("", text)).strip()
    return text[4:] if text.startswith("the ") else text


#: Printable ASCII (less the backtick, which becomes a quote) in single-spaced words: text that
#: normalise_text returns unchanged. :func:`unchanged_by_normalising` checks it on the bytes.
_ALREADY_NORMAL = r"[!-_a-~]+(?: [!-_a-~]+)*"
#: Rows scanned at a time: the scratch arrays stay a few megabytes.
_SCAN_ROWS = 65_536


def unchanged_by_normalising(values) -> np.ndarray:
    """True where :func:`normalise_text` would return the value unchanged (a fast, vectorised
    test that may answer False for some values that are in fact unchanged): an empty or
    missing value, or one that fully matches ``_ALREADY_NORMAL``. Read from the UTF-8 bytes of
    the Arrow column (every byte of such text is ASCII), a slice of rows at a time."""
    from .._arrow import to_arrow_text

    text = values if isinstance(values, pd.Series) and values.dtype == "str" else pd.Series(
        values, dtype="str")
    arr = to_arrow_text(text)
    n = len(arr)
    out = np.ones(n, dtype=bool)
    data = arr.buffers()[2]
    if n == 0 or data is None or data.size == 0:
        return out
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    data = np.frombuffer(data, dtype=np.uint8)
    space = ord(" ")
    for start in range(0, n, _SCAN_ROWS):
        stop = min(start + _SCAN_ROWS, n)
        lo, hi = offsets[start], offsets[stop]
        if hi == lo:
            continue
        chunk = data[lo:hi]
        bad = (chunk - np.uint8(space)) > ord("~") - space  # not " " to "~" (wraps below " ")
        bad |= chunk == ord("`")
        blank = chunk == space
        bad[1:] |= blank[1:] & blank[:-1]  # the second of two spaces
        row = np.searchsorted(offsets[start:stop + 1], np.flatnonzero(bad) + lo, side="right")
        out[start + row - 1] = False
        first, end = offsets[start:stop], offsets[start + 1:stop + 1]
        full = end > first  # a space at either end
        edge = np.zeros(stop - start, dtype=bool)
        edge[full] = (data[first[full]] == space) | (data[end[full] - 1] == space)
        out[start:stop] &= ~edge
    return out


def _normalise_distinct(uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct text normalised, and the rule for the ones that change."""
    clean_u = uniques.copy()
    todo = np.flatnonzero(~unchanged_by_normalising(uniques))
    clean_u[todo] = [normalise_text(u) for u in uniques[todo]]
    return clean_u, np.where(clean_u != uniques, "normalise_text", "").astype(object)


def normalise_text_columns(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalise the text of ``columns``; return the new frame and one change row per changed cell.

    A ``category`` column is normalised once per category. Any other text column (one with
    nearly as many distinct values as rows, such as ids or source lists) is first tested row by
    row with one vectorised pattern; only the rows that may change are normalised, and the
    column keeps its dtype.

    Examples
    --------
    >>> df = pd.DataFrame({"source_file": "a.csv", "source_row": [2, 3],
    ...                    "location": ["Tower 22", "Tower\\u00a022 "]})
    >>> out, changes = normalise_text_columns(df, ["location"])
    >>> out["location"].tolist()
    ['Tower 22', 'Tower 22']
    >>> changes[["source_row", "rule"]].to_dict("records")
    [{'source_row': 3, 'rule': 'normalise_text'}]
    """
    logs = [empty_changes()]
    new = {}
    for col in columns:
        if col not in frame:
            continue
        values = frame[col]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, uniques = factorize_text(values)
            clean_u, rule_u = _normalise_distinct(uniques)
            new[col] = text_column(clean_u, codes, frame.index)
            logs.append(log_changes(frame, col, codes, uniques, clean_u, rule_u))
            continue
        if values.dtype != "str":
            values = values.astype("str")
        todo = np.flatnonzero(~unchanged_by_normalising(values) | values.isna().to_numpy())
        part = frame.iloc[todo]
        codes, uniques = factorize_text(values.iloc[todo])
        clean_u, rule_u = _normalise_distinct(uniques)
        out = values.fillna("") if values.hasnans else values
        if (rule_u != "").any():
            out = out.copy()
            out.iloc[todo] = clean_u[codes]
        new[col] = out
        logs.append(log_changes(part, col, codes, uniques, clean_u, rule_u))
    return frame.assign(**new), concat_changes(logs)
