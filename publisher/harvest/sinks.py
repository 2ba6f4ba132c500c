"""Where harvested records go: the local catalogue (here), or an organisation of a
CKAN (publisher.harvest.ckan_sink)."""

from __future__ import annotations

import hashlib
import json
from typing import Protocol

from publisher.catalog.store import CatalogStore, NewVersion
from publisher.harvest.accounting import Change
from publisher.harvest.model import HarvestRecord


class Sink(Protocol):
    label: str

    def upsert(self, record: HarvestRecord, source: str) -> bool:
        """Create or update; True if the target changed."""

    def delete(self, name: str) -> bool:
        """Withdraw; True if there was something to withdraw."""

    def has(self, name: str) -> bool:
        """Whether the target holds NAME (not deleted)."""

    def dropped(self, record: HarvestRecord) -> list[tuple[str, str, Change]]:
        """What the target cannot hold of RECORD: (item kind, item id, what and why)."""


class LocalSink:
    """Harvested records become metadata-only versions of the local catalogue
    (their files stay where the source has them)."""

    def __init__(self, store: CatalogStore):
        self.store = store
        self.label = f"local:{store.root}"

    def upsert(self, record: HarvestRecord, source: str) -> bool:
        metadata = record.metadata(source)
        digest = hashlib.sha256(json.dumps(metadata, sort_keys=True).encode()).hexdigest()
        return self.store.add(NewVersion(record.name, metadata, digest)).changed

    def delete(self, name: str) -> bool:
        entry = self.store.entry(name)
        if entry is None or entry.deleted:
            return False
        self.store.delete(name)
        return True

    def has(self, name: str) -> bool:
        entry = self.store.entry(name)
        return entry is not None and not entry.deleted

    def dropped(self, record: HarvestRecord) -> list[tuple[str, str, Change]]:
        return []  # the catalogue keeps the record's whole graph
