"""Where harvested records go: the local catalogue (here), or an organisation of a
CKAN (publisher.harvest.ckan_sink)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Protocol

from publisher.harvest.accounting import Change
from publisher.harvest.model import HarvestRecord
from publisher.targets.base import PublishRequest
from publisher.targets.local import LocalTarget


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

    def __init__(self, target: LocalTarget):
        self.target = target
        self.label = f"local:{target.root}"

    def upsert(self, record: HarvestRecord, source: str) -> bool:
        metadata = record.metadata(source)
        digest = hashlib.sha256(json.dumps(metadata, sort_keys=True).encode()).hexdigest()
        with tempfile.TemporaryDirectory(prefix="publisher-harvest-") as tmp:
            request = PublishRequest(dataset=record.name, metadata=metadata, staged_dir=Path(tmp),
                                     files=[], reports={}, content_hash=digest)
            return self.target.publish(request).changed

    def delete(self, name: str) -> bool:
        entry = self.target.entry(name)
        if entry is None or entry.deleted:
            return False
        self.target.delete(name)
        return True

    def has(self, name: str) -> bool:
        entry = self.target.entry(name)
        return entry is not None and not entry.deleted

    def dropped(self, record: HarvestRecord) -> list[tuple[str, str, Change]]:
        return []  # the catalogue keeps the record's whole graph
