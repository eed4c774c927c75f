"""Path converters shared by every app's URLs."""

from __future__ import annotations

#: The largest value of a PostgreSQL ``bigint`` (and of SQLite's INTEGER): no row has a larger id.
MAX_DATABASE_INTEGER = 2**63 - 1


class DatabaseIdConverter:
    """A non-negative integer that fits the database's integer columns; a larger one matches no URL (404).

    Django's ``int`` converter takes any length, and a number past the database's range crashes a query
    (SQLite's driver raises ``OverflowError``) instead of finding nothing.
    """

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DATABASE_INTEGER:
            # A ValueError here makes Django try the next pattern, and answer 404 when none matches.
            raise ValueError("beyond the database's integer range")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
