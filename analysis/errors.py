"""The package's one exception for input that cannot be used at all."""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """Input that cannot be used at all: an unreadable file, a missing required column.

    The message is one line that names the file, and the row and column where there is one,
    so that a coder knows which cell of which sheet to fix.

    Examples
    --------
    >>> err = InputError("missing required column(s): date", file="a.csv")
    >>> str(err)
    'a.csv: missing required column(s): date'
    >>> str(InputError("not a date", file="a.csv", row=4, column="date"))
    'a.csv, row 4, column date: not a date'
    """

    def __init__(
        self, message: str, *, file: str | None = None, row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.row, self.column, self.detail = file, row, column, message
        where = ", ".join(
            part for part in (
                file,
                f"row {row}" if row is not None else None,
                f"column {column}" if column is not None else None,
            ) if part
        )
        super().__init__(f"{where}: {message}" if where else message)
