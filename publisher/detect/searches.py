"""Faster searches for the costliest patterns: each returns exactly what
`pattern.search(text, pos)` returns, but tries the pattern only where a match
can start.

Python's `search` tries the pattern at every position of a cell, and each try
pays the pattern's look-arounds; these know from the pattern where a match must
start, or what it must hold near its start, and skip the rest:

- a phone number starts at "+", "0" or "(";
- an e-mail address holds an "@", a bracket (an "(at)") or " at " right after its
  local part, which holds no white space;
- a street address has an ASCII digit at most 81 characters after its start;
- an IP address holds a "." (v4) or ":" (v6) at most 4 characters after its start.

`pattern.match(text, q)` is the match `search` finds at q; both see the text
before their start position, so look-behinds hold alike
(tests/detect/test_detect_searches.py compares them on generated texts).
"""

from __future__ import annotations

import re

from publisher.detect import patterns as p

_PHONE_START = re.compile(r"[+0(]")


def phone(text: str, pos: int = 0) -> re.Match[str] | None:
    """PHONE.search(text, pos): the pattern tried at each "+", "0" and "(" only."""
    match = p.PHONE.match
    start = _PHONE_START.search
    while (at := start(text, pos)) is not None:
        found = match(text, at.start())
        if found is not None:
            return found
        pos = at.start() + 1
    return None


# What must follow an e-mail address's local part (its first character): "@", an
# opening bracket, or the white space before " at ". None of these can stand inside
# the local part.
_EMAIL_BRACKET = re.compile(r"[@(\[{<]")
_EMAIL_AT_WORD = re.compile(r"\s(?i:at)\s")


def email(text: str, pos: int = 0) -> re.Match[str] | None:
    """EMAIL.search(text, pos), started at the word before the first "@", bracket
    or " at " at or after pos.

    A match's local part runs up to its "@" (or bracket, or the space before "at"),
    with at most white space between; the first such sign after pos is that one or
    lies before the local part, so the search can start at the word before it."""
    bracket = _EMAIL_BRACKET.search(text, pos)
    end = len(text) if bracket is None else min(len(text), bracket.start() + 3)
    spaced = _EMAIL_AT_WORD.search(text, pos, end)
    if spaced is not None:
        sign = spaced.start()
    elif bracket is not None:
        sign = bracket.start()
    else:
        return None
    before = text[pos:sign].rstrip()  # back over white space, then over the word
    last = before.rsplit(None, 1)[-1] if before else ""
    return p.EMAIL.search(text, pos + len(before) - len(last))


_ASCII_DIGIT = re.compile(r"[0-9]")
_STREET_REACH = 81  # the pattern's first look-ahead: a letter, at most 80 more, a digit


def street(text: str, pos: int = 0) -> re.Match[str] | None:
    """STREET.search(text, pos), started at most 81 characters before the first
    ASCII digit at or after pos (none: no match).

    The pattern opens with a look-ahead: from its first letter, an ASCII digit within
    81 characters. The first digit after a match's start is at or after the first
    digit after pos, so the match starts at most 81 characters before that one."""
    digit = _ASCII_DIGIT.search(text, pos)
    if digit is None:
        return None
    return p.STREET.search(text, max(pos, digit.start() - _STREET_REACH))


_IP_SEPARATOR = re.compile(r"[.:]")
_IP_REACH = 4  # v4: 1-3 digits then "."; v6: 0-4 hex digits then ":"


def ip_address(text: str, pos: int = 0) -> re.Match[str] | None:
    """IP_ADDRESS.search(text, pos), started at most 4 characters before the first
    "." or ":" at or after pos (none: no match).

    Both of the pattern's forms hold a "." or ":" within their first five
    characters (its start is look-behinds only), so a match starting at or after
    pos starts at most 4 characters before the first such sign after pos."""
    sign = _IP_SEPARATOR.search(text, pos)
    if sign is None:
        return None
    return p.IP_ADDRESS.search(text, max(pos, sign.start() - _IP_REACH))
