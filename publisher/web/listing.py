"""The catalogue page's data: one card per public dataset, the search (all words
must occur) and the filters (theme, format, licence, place) with their counts.

Only public, undeleted datasets are read: a public page shows the same to
everyone, whoever is logged in to the console.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from publisher.api.catalog import Catalog, keywords, organisation
from publisher.catalog.records import descriptor, modified
from publisher.catalog.store import CatalogEntry
from publisher.errors import PublisherError
from publisher.licences import normalise

FILTERS = ("theme", "format", "licence", "place")


@dataclass(frozen=True)
class Card:
    name: str
    title: str
    description: str
    organisation: str
    modified: str
    keywords: tuple[str, ...]
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)  # filter -> values

    def matches(self, terms: list[str], chosen: dict[str, str]) -> bool:
        text = " ".join([self.name, self.title, self.description, self.organisation,
                         *self.keywords, *self.facets.get("place", ())]).lower()
        if not all(t in text for t in terms):
            return False
        return all(value in self.facets.get(key, ()) for key, value in chosen.items())


def licence_label(value: Any) -> str:
    """The licence's title from the crosswalk, or the id as written."""
    if not value:
        return ""
    try:
        found = normalise(str(value))
    except PublisherError:
        found = None
    return found.title if found else str(value)


def card(entry: CatalogEntry) -> Card:
    md = entry.metadata
    formats = sorted({str(r.get("format", "")).upper() for r in descriptor(entry)
                      .get("resources", []) if isinstance(r, dict) and r.get("format")})
    themes = tuple(str(t).upper() for t in md.get("themes") or [] if t)
    licence = licence_label(md.get("license"))
    place = str(md.get("place") or "")
    return Card(
        name=entry.name, title=entry.title or str(md.get("title") or entry.name),
        description=str(md.get("description") or "").strip(), organisation=organisation(md),
        modified=modified(entry)[:10], keywords=tuple(keywords(md)),
        facets={"theme": themes, "format": tuple(formats),
                "licence": (licence,) if licence else (), "place": (place,) if place else ()})


def public_cards(cat: Catalog) -> list[Card]:
    return [card(e) for e in cat.visible(steward=False)]


def search(cards: list[Card], q: str | None, chosen: dict[str, str]) -> list[Card]:
    terms = (q or "").lower().split()
    picked = {k: v for k, v in chosen.items() if k in FILTERS and v}
    return [c for c in cards if c.matches(terms, picked)]


def facet_counts(cards: list[Card]) -> dict[str, list[tuple[str, int]]]:
    """For each filter, its values over CARDS with how many cards have each."""
    out: dict[str, list[tuple[str, int]]] = {}
    for key in FILTERS:
        counts = Counter(v for c in cards for v in c.facets.get(key, ()))
        out[key] = sorted(counts.items(), key=lambda kv: kv[0].lower())
    return out
