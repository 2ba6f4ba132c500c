"""The licence crosswalk (schemas/licences.yaml) and normalisation of licence ids.

The same licence has a different id in every vocabulary (DCAT-AP.de, SPDX, Open
Definition, CKAN, a licence URL). `normalise` maps any of them, case-insensitively,
to one canonical `Licence`, so rules compare licences and never spellings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, cast

import yaml

from publisher.errors import InputError
from publisher.resources import schemas_dir

DCAT_AP_DE_BASE = "http://dcat-ap.de/def/licenses/"

LicenceKind = Literal["public-domain", "attribution", "share-alike", "closed",
                      "non-commercial", "no-derivatives"]
KINDS: tuple[str, ...] = ("public-domain", "attribution", "share-alike", "closed",
                          "non-commercial", "no-derivatives")
# Kinds that no open-data policy accepts (RULES.md section 4, "Block").
NOT_OPEN: dict[str, str] = {
    "non-commercial": "it forbids commercial use",
    "no-derivatives": "it forbids changed or derived versions",
    "closed": "it is not an open licence",
}
# Frictionless licence keys tried in this order.
ENTRY_KEYS = ("name", "spdx", "path")


@dataclass(frozen=True)
class Licence:
    id: str
    title: str
    kind: LicenceKind
    dcat_ap_de: str | None = None
    spdx: str | None = None
    od: str | None = None
    ckan: str | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()
    software: bool = False  # written for software (or its manuals), not for data
    superseded_by: str | None = None  # the id of the current version of an old licence

    @property
    def uri(self) -> str | None:
        """The DCAT-AP.de licence URI, if DCAT-AP.de has one."""
        return DCAT_AP_DE_BASE + self.dcat_ap_de if self.dcat_ap_de else None

    @property
    def is_open(self) -> bool:
        return self.kind not in NOT_OPEN

    def spellings(self) -> list[str]:
        values = [self.id, self.dcat_ap_de, self.uri, self.spdx, self.od, self.ckan,
                  self.url, self.title, *self.aliases]
        return [v for v in values if v]

    def frictionless(self) -> dict[str, str]:
        """A Frictionless `licenses[]` entry: Open Definition id, address, SPDX beside."""
        entry = {"name": self.od or self.id, "title": self.title}
        if self.url or self.uri:
            entry["path"] = cast(str, self.url or self.uri)
        if self.spdx:
            entry["spdx"] = self.spdx
        return entry


def _key(value: str) -> str:
    """A lookup key: lower case; for URLs without scheme, www., trailing '/', legalcode/deed."""
    text = value.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1].removeprefix("www.")
        text = re.sub(r"/(legalcode|deed)(\.[a-z-]+)?$", "", text.rstrip("/"))
        text = text.rstrip("/")
    return text


class Crosswalk:
    def __init__(self, licences: list[Licence]):
        self.licences = licences
        self._by_key: dict[str, Licence] = {}
        for licence in licences:
            for spelling in licence.spellings():
                key = _key(spelling)
                other = self._by_key.setdefault(key, licence)
                if other is not licence:
                    raise InputError(f"licence spelling '{spelling}' names both "
                                     f"'{other.id}' and '{licence.id}'", where="licences.yaml")

    def get(self, value: str) -> Licence | None:
        return self._by_key.get(_key(value)) if value and value.strip() else None

    def ids(self) -> list[str]:
        return [licence.id for licence in self.licences]


@cache
def crosswalk() -> Crosswalk:
    path = schemas_dir() / "licences.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = data.get("licences") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise InputError("expected a 'licences' list", where=str(path))
    licences = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or row.get("kind") not in KINDS or not row.get("id"):
            raise InputError(f"licences[{i}] needs an id and a kind out of {', '.join(KINDS)}",
                             where=str(path))
        licences.append(Licence(
            id=str(row["id"]), title=str(row.get("title") or row["id"]), kind=row["kind"],
            dcat_ap_de=row.get("dcat_ap_de"), spdx=row.get("spdx"), od=row.get("od"),
            ckan=row.get("ckan"), url=row.get("url"),
            aliases=tuple(str(a) for a in row.get("aliases") or ()),
            software=bool(row.get("software", False)), superseded_by=row.get("superseded_by")))
    table = Crosswalk(licences)
    ids = set(table.ids())
    for licence in licences:
        if licence.superseded_by is not None and licence.superseded_by not in ids:
            raise InputError(f"licence '{licence.id}' is superseded by unknown licence "
                             f"'{licence.superseded_by}'", where=str(path))
    return table


def normalise(value: str | Mapping[str, Any]) -> Licence | None:
    """The canonical licence for an id, URI, SPDX id or title, or for a Frictionless
    `licenses[]` entry (its `name`, then `spdx`, then `path`); None if unknown."""
    matches = matches_of(value)
    return matches[0] if matches else None


def matches_of(value: str | Mapping[str, Any]) -> list[Licence]:
    """Every distinct licence that a value or a Frictionless entry's keys name.

    More than one means the entry contradicts itself (say name CC-BY-4.0, path BY-NC).
    """
    table = crosswalk()
    if isinstance(value, str):
        found = table.get(value)
        return [found] if found else []
    out: list[Licence] = []
    for key in ENTRY_KEYS:
        raw = value.get(key)
        found = table.get(raw) if isinstance(raw, str) else None
        if found and found not in out:
            out.append(found)
    return out


def describe(value: str | Mapping[str, Any]) -> str:
    """How the licence was given, for a message (metadata, not data; kept short)."""
    if isinstance(value, str):
        text = value
    else:
        text = next((str(value[k]) for k in (*ENTRY_KEYS, "title") if value.get(k)), "")
    text = text.strip() or "(empty)"
    return text if len(text) <= 80 else text[:79] + "…"
