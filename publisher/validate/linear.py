"""Table Schema `pattern` constraints run in linear time, by RE2.

Python's `re` backtracks: `(a+)+b` on forty a's takes longer than anyone
waits. frictionless compiles every `pattern` with `re` (and the engine's
slow path calls frictionless's cell reader), so both would hang on such a
pattern. Here a pattern is parsed by Python's own parser (it accepts what
frictionless accepts, with the same meaning), then written out in RE2's
syntax, with Python's Unicode classes spelled out (`\\d` is any decimal
digit, `\\w` any letter, digit or underscore, as in Python; RE2's are
ASCII). What RE2 cannot express (backreferences, lookahead and lookbehind,
conditionals, atomic groups and possessive repeats, a Unicode word boundary
`\\b`, repeats over 1,000) is refused with a reason, before any record is
read: publisher.validate.schema turns that into a schema-error finding.

`install()` (done on import of publisher.validate) has frictionless compile
its `pattern` constraints here: the one place frictionless runs `re` on a
value from a schema. One deliberate difference from Python: `$` at the end
of a pattern matches only at the end of the cell, not before a final line
break (the Table Schema means the whole value).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import re2

_parser: Any = getattr(re, "_parser")  # noqa: B009 - Python's own regular expression parser
_constants: Any = getattr(re, "_constants")  # noqa: B009

_UNICODE_CLASSES = {
    "CATEGORY_DIGIT": r"\p{Nd}",
    "CATEGORY_WORD": r"\p{L}\p{N}_",
    "CATEGORY_SPACE": r"\t\n\x{b}\f\r\x{1c}-\x{1f}\x{85}\p{Z}",
}
_ASCII_CLASSES = {
    "CATEGORY_DIGIT": "0-9",
    "CATEGORY_WORD": "0-9A-Za-z_",
    "CATEGORY_SPACE": r"\t\n\x{b}\f\r ",
}
_REFUSED = {
    "GROUPREF": "a backreference", "GROUPREF_EXISTS": "a conditional group",
    "ASSERT": "a lookahead or lookbehind", "ASSERT_NOT": "a negative lookahead or lookbehind",
    "ATOMIC_GROUP": "an atomic group", "POSSESSIVE_REPEAT": "a possessive repeat",
}
_FLAGS = (("IGNORECASE", "i"), ("MULTILINE", "m"), ("DOTALL", "s"))


class Unexpressible(ValueError):
    """A pattern the linear-time engine cannot run: `reason` says what in it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _literal(code: int) -> str:
    char = chr(code)
    return char if char.isascii() and char.isalnum() else f"\\x{{{code:x}}}"


def _flag_letters(flags: int) -> str:
    return "".join(letter for name, letter in _FLAGS
                   if flags & getattr(_constants, f"SRE_FLAG_{name}"))


class _Writer:
    def __init__(self, flags: int):
        self.ascii = bool(flags & _constants.SRE_FLAG_ASCII)

    def classes(self) -> dict[str, str]:
        return _ASCII_CLASSES if self.ascii else _UNICODE_CLASSES

    def sequence(self, items: Any) -> str:
        return "".join(self.item(op, value) for op, value in items)

    def item(self, op: Any, value: Any) -> str:
        name = op.name
        if name in _REFUSED:
            raise Unexpressible(f"it uses {_REFUSED[name]}")
        if name == "LITERAL":
            return _literal(value)
        if name == "NOT_LITERAL":
            return f"[^{_literal(value)}]"
        if name == "ANY":
            return "."
        if name == "IN":
            return self.charset(value)
        if name == "BRANCH":
            return "(?:" + "|".join(self.sequence(alt) for alt in value[1]) + ")"
        if name == "SUBPATTERN":
            return self.group(*value)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            return self.repeat(*value, lazy=name == "MIN_REPEAT")
        if name == "AT":
            return self.at(value.name)
        raise Unexpressible(f"it uses a construct ({name.lower()}) RE2 does not have")

    def group(self, number: int | None, add: int, remove: int, body: Any) -> str:
        on, off = _flag_letters(add), _flag_letters(remove)
        if add & _constants.SRE_FLAG_ASCII or remove & _constants.SRE_FLAG_ASCII:
            raise Unexpressible("it switches ASCII matching on or off inside the pattern")
        inner = self.sequence(body)
        if on or off:
            inner = f"(?{on}{'-' + off if off else ''}:{inner})"
        return f"({inner})" if number is not None else f"(?:{inner})"

    def repeat(self, low: int, high: int, body: Any, *, lazy: bool) -> str:
        atom = f"(?:{self.sequence(body)})"
        if high == _constants.MAXREPEAT:
            count = "*" if low == 0 else "+" if low == 1 else f"{{{low},}}"
        elif low == high:
            count = f"{{{low}}}"
        else:
            count = "?" if (low, high) == (0, 1) else f"{{{low},{high}}}"
        return atom + count + ("?" if lazy else "")

    def at(self, where: str) -> str:
        if where in ("AT_BEGINNING", "AT_BEGINNING_LINE"):
            return "^"
        if where == "AT_BEGINNING_STRING":
            return r"\A"
        if where in ("AT_END", "AT_END_LINE"):
            return "$"
        if where == "AT_END_STRING":
            return r"\z"
        if where in ("AT_BOUNDARY", "AT_NON_BOUNDARY") and self.ascii:
            return r"\b" if where == "AT_BOUNDARY" else r"\B"
        raise Unexpressible(r"it uses a word boundary (\b or \B), which RE2 only knows for "
                            "ASCII letters")

    def charset(self, items: Any) -> str:
        negate = bool(items) and items[0][0].name == "NEGATE"
        items = items[1:] if negate else items
        parts: list[str] = []
        for op, value in items:
            name = op.name
            if name == "LITERAL":
                parts.append(_literal(value))
            elif name == "RANGE":
                parts.append(f"{_literal(value[0])}-{_literal(value[1])}")
            elif name == "CATEGORY":
                category = value.name
                positive = category.replace("_NOT_", "_")
                if positive == category:
                    parts.append(self.classes()[category])
                elif category == "CATEGORY_NOT_DIGIT" and not self.ascii:
                    parts.append(r"\P{Nd}")
                elif len(items) == 1:  # [\W] alone: the complement of [\w]
                    return f"[{'' if negate else '^'}{self.classes()[positive]}]"
                else:
                    raise Unexpressible(r"it uses \W or \S (or \D) beside other characters "
                                        "in one character class")
            else:
                raise Unexpressible(f"it uses a character class item ({name.lower()}) RE2 "
                                    "does not have")
        return f"[{'^' if negate else ''}{''.join(parts)}]"


@lru_cache(maxsize=1024)
def to_re2(pattern: str) -> str:
    """`pattern` (Python syntax and meaning) in RE2 syntax; re.error when Python
    refuses it, Unexpressible when RE2 cannot run it."""
    parsed = _parser.parse(pattern, 0)
    flags = int(parsed.state.flags)
    letters = _flag_letters(flags)
    text = (f"(?{letters})" if letters else "") + _Writer(flags).sequence(parsed)
    compile_re2(text)
    return text


_OPTIONS = re2.Options()
_OPTIONS.log_errors = False


@lru_cache(maxsize=1024)
def compile_re2(text: str) -> Any:
    """An RE2 regular expression; Unexpressible with RE2's reason if it refuses."""
    try:
        return re2.compile(text, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(
            exc.args[0], bytes) else str(exc)
        raise Unexpressible(f"RE2 refuses it ({reason})") from None


def problem(pattern: object) -> str | None:
    """Why a schema's `pattern` cannot be used (None: it can)."""
    text = str(pattern)
    try:
        to_re2(f"^{text}$")
    except re.error as exc:
        return f"the constraint pattern is not a valid regular expression ({exc.msg})"
    except Unexpressible as exc:
        return (f"the constraint pattern cannot be checked in linear time: {exc.reason}; "
                "patterns run on RE2 so that no cell can make validation hang")
    except RecursionError:
        return "the constraint pattern is nested too deeply"
    return None


class _LinearRe:
    """Stands in for the `re` module inside frictionless.schema.field, which only
    calls `re.compile("^{pattern}$")`; every other name is the real module's."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    @staticmethod
    def compile(pattern: str, flags: int = 0) -> Any:
        if flags:
            raise Unexpressible("flags are not passed to the linear-time engine")
        try:
            return compile_re2(to_re2(pattern))
        except Unexpressible as exc:
            raise re.error(exc.reason) from None


def install() -> None:
    """Have frictionless compile `pattern` constraints with RE2 (idempotent)."""
    from frictionless.schema import field as fl_field

    if not isinstance(getattr(fl_field, "re"), _LinearRe):  # noqa: B009
        setattr(fl_field, "re", _LinearRe())  # noqa: B010
