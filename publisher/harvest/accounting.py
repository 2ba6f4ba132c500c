"""What a harvest did with each dataset and distribution: which properties it
kept as the source gave them, which it changed (old -> new) and which it
dropped, each with the reason. Values are shown as the report may show them:
a value that can be personal (a name, an e-mail address, a phone number) only
masked (publisher.masking.mask).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from publisher.masking import mask

# Properties whose values name or reach a person (vCard and FOAF); their values,
# and any mailto:/tel: address, are masked in a report.
_PERSONAL = ("http://www.w3.org/2006/vcard/ns#", "http://xmlns.com/foaf/0.1/name",
             "http://xmlns.com/foaf/0.1/mbox", "http://xmlns.com/foaf/0.1/phone",
             "http://xmlns.com/foaf/0.1/givenName", "http://xmlns.com/foaf/0.1/familyName")


def shown(prop: str, value: Node | str | None) -> str | None:
    """VALUE of PROP as a report may show it."""
    if value is None:
        return None
    text = str(value)
    personal = prop.startswith(_PERSONAL) or text.startswith(("mailto:", "tel:")) \
        or (isinstance(value, Literal) and "@" in text)
    if personal:
        return mask(text, keep=1, limit=40)
    if isinstance(value, URIRef | str) and not isinstance(value, Literal):
        return text
    return text if len(text) <= 120 else text[:119] + "…"


@dataclass
class Change:
    property: str  # e.g. dct:license, or dcat:contactPoint/vcard:hasEmail below the item
    why: str
    old: str | None = None
    new: str | None = None

    def line(self) -> str:
        if self.old is not None and self.new is not None:
            return f"{self.property}: {self.old} -> {self.new} ({self.why})"
        value = self.old if self.old is not None else self.new
        return f"{self.property}{f': {value}' if value is not None else ''} ({self.why})"


@dataclass
class ItemReport:
    """One dataset or distribution of the source."""

    kind: str  # dataset | distribution
    id: str
    kept: dict[str, int] = field(default_factory=dict)  # property -> values kept as given
    changed: list[Change] = field(default_factory=list)
    dropped: list[Change] = field(default_factory=list)

    def keep(self, prop: str) -> None:
        self.kept[prop] = self.kept.get(prop, 0) + 1


@dataclass
class RecordReport:
    """A dataset as harvested: the dataset and each of its distributions."""

    id: str  # in the source
    name: str  # in the target
    dataset: ItemReport
    distributions: list[ItemReport] = field(default_factory=list)

    def items(self) -> list[ItemReport]:
        return [self.dataset, *self.distributions]

    def dropped(self) -> list[tuple[ItemReport, Change]]:
        return [(item, change) for item in self.items() for change in item.dropped]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
