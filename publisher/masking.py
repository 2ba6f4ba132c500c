"""Masking of samples: no raw value ever leaves a rule, a report or a log."""

from __future__ import annotations


def mask(value: object, keep: int = 1, limit: int = 24) -> str:
    """A sample safe to show: the first `keep` characters, every other letter
    or digit starred, punctuation kept so the shape stays readable.

    'anna.meier@example.de' -> 'a***.*****@*******.**'
    """
    text = str(value)
    out = [ch if i < keep or not ch.isalnum() else "*" for i, ch in enumerate(text[:limit])]
    return "".join(out) + ("…" if len(text) > limit else "")
