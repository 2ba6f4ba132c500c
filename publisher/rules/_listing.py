"""Shared by the rules that list findings one by one up to a cap (`max_findings`).

The cap keeps a report readable; it must never hide a column. The listed
findings are shared out over the columns (each column with a hit gets at least
one), and each column with more hits than it lists gets one summary finding
that names it and carries the rest in `Finding.count`, so the report's summary
by rule and column (Report.by_column) adds up to the true totals.
"""

from __future__ import annotations


def spread(sizes: list[int], limit: int) -> list[int]:
    """How many findings to list per column, given how many each has: at least one
    per column with any (even past `limit`), the rest of `limit` shared out evenly,
    none more than it has."""
    shown = [min(1, size) for size in sizes]
    left = limit - sum(shown)
    while left > 0:
        growing = [i for i, size in enumerate(sizes) if shown[i] < size]
        if not growing:
            break
        share = max(left // len(growing), 1)
        for i in growing:
            add = min(share, sizes[i] - shown[i], left)
            shown[i] += add
            left -= add
            if not left:
                break
    return shown


def more_message(not_listed: int, total: int, what: str = "values of this kind") -> str:
    """The message of a column's summary finding."""
    return f"{not_listed} more {what} in this column are not listed ({total} in all)"
