"""A red-team set for the privacy gate: defect-report free text as citizens write it.

    from benchmarks.redteam import generate
    s = generate(rows=10_000, seed=1)
    s.texts      # list[str], one report per row
    s.planted    # DataFrame: row, kind, start, end, value, form, template
    s.decoys     # DataFrame: row, family, start, end, value, form, template

Every kind the detector knows is planted, and person names (KINDS), in many
forms and templates (values.py, people.py, templates.py); look-alikes of every
family (DECOY_FAMILIES, decoys.py) are planted beside them and must not be
found. Case, punctuation, line breaks and the mix of sentences vary; all of it
is drawn from the seed, so a new seed makes texts not seen before.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from string import Formatter

import pandas as pd

from . import people as pp
from . import values as vv
from .decoys import DECOYS
from .score import score
from .templates import (
    DECOY_SLOTS,
    DECOY_TEMPLATES,
    IDENTIFIER_SLOTS,
    IDENTIFIER_TEMPLATES,
    PLACES,
    PLAIN_SLOTS,
    STATES,
    STOCK,
    SUBJECTS,
    WHEN,
)

__all__ = ["DECOY_FAMILIES", "KINDS", "RedTeamSet", "generate", "score"]

KINDS = tuple(IDENTIFIER_TEMPLATES)
DECOY_FAMILIES = tuple(DECOY_TEMPLATES)
TRUTH_COLUMNS = ["row", "start", "end", "value", "form", "template"]
INVALID_PHONE_SHARE = 0.2  # of {phonex} slots, which all stand behind a context word


@dataclass(frozen=True)
class RedTeamSet:
    seed: int
    texts: list[str]
    planted: pd.DataFrame
    decoys: pd.DataFrame


@dataclass(frozen=True)
class Template:
    text: str  # as written, with its slots; the label in reports
    position: str  # "start", "end" or "any"
    parts: tuple[tuple[str, str | None], ...]  # (literal, slot after it or None)


def _parse(raw: str) -> Template:
    position = {"^": "start", "$": "end"}.get(raw[:1], "any")
    body = raw[1:] if position != "any" else raw
    parts = tuple((literal, slot) for literal, slot, _, _ in Formatter().parse(body))
    return Template(body.replace("\n", "⏎"), position, parts)


_IDENTIFIER = {k: [_parse(t) for t in ts] for k, ts in IDENTIFIER_TEMPLATES.items()}
_DECOY = {f: [_parse(t) for t in ts] for f, ts in DECOY_TEMPLATES.items()}
_STOCK = [_parse(t) for t in STOCK]

_NAME_FORMS: dict[str, Callable[[random.Random, pp.Person], vv.Value]] = {
    "full": pp.name_full, "last": pp.name_last, "first": pp.name_first,
    "ilast": pp.name_initial, "lastfirst": pp.name_last_first, "email": pp.email,
}
_VALUES: dict[str, Callable[[random.Random], vv.Value]] = {
    "phone": vv.phone, "phonex": lambda r: vv.phone(r, invalid=r.random() < INVALID_PHONE_SHARE),
    "iban": vv.iban, "taxid": vv.tax_id, "pension": vv.pension_number, "svnr": vv.svnr,
    "deplate": vv.de_plate, "atplate": vv.at_plate, "ip": vv.ip_address,
    "dob": vv.birth_date, "jg": vv.birth_year, "address": pp.street_address,
}
# how a sentence is cased; "-words" leaves the planted values as they are
_CASES = [("as-written", 86.0), ("lower", 6.0), ("lower-words", 4.0), ("upper", 2.0),
          ("upper-words", 2.0)]
_JOINERS = [(". ", 30.0), (".\n", 12.0), ("! ", 4.0), (" ", 10.0), ("\n", 12.0),
            ("\n\n", 4.0), (" - ", 5.0), (", ", 10.0), ("; ", 3.0), ("... ", 3.0),
            (".  ", 2.0), (" // ", 1.0)]
_ENDINGS = [("", 35.0), (".", 40.0), ("!", 10.0), ("!!", 3.0), ("?", 3.0), (" :(", 1.0),
            ("...", 3.0)]


class _Row:
    """One text being written, with the spans planted in it."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.length = 0
        self.planted: list[tuple[str, int, int, str, str, str]] = []
        self.decoys: list[tuple[str, int, int, str, str, str]] = []

    def add(self, text: str) -> None:
        self.chunks.append(text)
        self.length += len(text)

    def mark(self, into: list[tuple[str, int, int, str, str, str]], label: str, value: str,
             form: str, template: str) -> None:
        into.append((label, self.length, self.length + len(value), value, form, template))
        self.add(value)


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people = pp.People(seed)

    def filler(self) -> Template:
        rng = self.rng
        if rng.random() < 0.35:
            return rng.choice(_STOCK)
        words = [rng.choice(SUBJECTS), rng.choice(PLACES), rng.choice(STATES), rng.choice(WHEN)]
        text = " ".join(w for w in words if w)
        return Template(text, "any", ((text, None),))

    def write(self, row: _Row, template: Template, case: str) -> None:
        rng = self.rng
        person = self.people.person(rng) if len(template.parts) > 1 else None
        for literal, slot in template.parts:
            if slot is not None and literal.endswith((": ", ". ")) and rng.random() < 0.12:
                literal = literal[:-1]  # "Tel.:0171 ...", "geb.12.05.1980"
            row.add(_case(literal, case))
            if slot is None:
                continue
            if slot in PLAIN_SLOTS:
                row.add(_case(pp.town(rng), case))
            elif slot in IDENTIFIER_SLOTS:
                if slot in _NAME_FORMS:
                    value, form = _NAME_FORMS[slot](rng, person or self.people.person(rng))
                else:
                    value, form = _VALUES[slot](rng)
                value, form = _cased(value, form, case)
                row.mark(row.planted, IDENTIFIER_SLOTS[slot], value, form, template.text)
            else:
                value, form = DECOYS[slot](rng, self.people)
                value, form = _cased(value, form, case)
                row.mark(row.decoys, DECOY_SLOTS[slot], value, form, template.text)

    def text(self, row: _Row, share: float, decoy_share: float) -> None:
        rng = self.rng
        sentences = [self.filler() for _ in range(rng.choice((0, 1, 1, 2, 2, 3)))]
        if rng.random() < share:
            for _ in range(rng.choices((1, 2, 3), (70, 22, 8))[0]):
                sentences.append(rng.choice(_IDENTIFIER[rng.choice(KINDS)]))
        if rng.random() < decoy_share:
            for _ in range(rng.choices((1, 2), (75, 25))[0]):
                sentences.append(rng.choice(_DECOY[rng.choice(DECOY_FAMILIES)]))
        if not sentences:
            sentences.append(self.filler())
        rng.shuffle(sentences)
        order = {"start": 0, "any": 1, "end": 2}
        sentences.sort(key=lambda t: order[t.position])
        for i, template in enumerate(sentences):
            if i:
                previous = sentences[i - 1]
                if template.position == "end":
                    row.add(rng.choice(("\n", "\n\n", " ", ".\n", ".\n\n")))
                elif previous.text.endswith((",", ":", "!", "?")):
                    row.add(rng.choice(("\n", " ", "\n\n")))
                else:
                    row.add(vv.pick(rng, _JOINERS))
            self.write(row, template, vv.pick(rng, _CASES))
        last = sentences[-1]
        if last.position != "end" and not last.text.endswith((",", ":", "!", "?", ")")):
            row.add(vv.pick(rng, _ENDINGS))


def _cased(value: str, form: str, case: str) -> tuple[str, str]:
    """A planted value in the case of its sentence (unless only the words around it
    are cased), its form saying so."""
    if case.endswith("-words"):
        return value, form
    cased = _case(value, case)
    return cased, form if cased == value else f"{form} [{case}]"


def _case(text: str, case: str) -> str:
    if case.startswith("lower"):
        return text.lower()
    if case.startswith("upper"):
        return text.upper()
    return text


def generate(rows: int, seed: int, share: float = 0.3, decoy_share: float = 0.35) -> RedTeamSet:
    """`rows` texts; `share` of them hold identifiers (1-3), `decoy_share` decoys (1-2)."""
    writer = _Writer(seed)
    texts: list[str] = []
    planted: list[tuple[int, str, int, int, str, str, str]] = []
    decoys: list[tuple[int, str, int, int, str, str, str]] = []
    for n in range(rows):
        row = _Row()
        writer.text(row, share, decoy_share)
        texts.append("".join(row.chunks))
        planted.extend((n, *p) for p in row.planted)
        decoys.extend((n, *d) for d in row.decoys)
    return RedTeamSet(
        seed, texts,
        pd.DataFrame(planted, columns=["row", "kind", *TRUTH_COLUMNS[1:]]),
        pd.DataFrame(decoys, columns=["row", "family", *TRUTH_COLUMNS[1:]]),
    )
