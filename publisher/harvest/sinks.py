"""Where harvested records go: the local catalogue (here), or an organisation of a
CKAN (publisher.harvest.ckan_sink)."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from publisher.harvest.accounting import Change
from publisher.harvest.model import HarvestRecord
from publisher.metadata import build_metadata
from publisher.metadata.ckan import OPTIONAL_FIELDS, dataset_fields
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


# The scheming fields (deploy/ckan/publisher_dataset.yaml) a harvest carries
# beyond the core ones, filled by the same mapping a publish uses; each is
# written (empty if the record has none), so a value the source dropped goes too.
HARVESTED_FIELDS = ("frequency", "contributor_id", "political_geocoding_uri",
                    "political_geocoding_level_uri", "geographic_toponym", *OPTIONAL_FIELDS)


def _tag(keyword: str) -> str | None:
    text = re.sub(r"[^\w \-.]", " ", keyword).strip()[:100]
    return text if len(text) >= 2 else None


def ckan_tags(keywords: Iterable[str]) -> list[dict[str, str]]:
    """Keywords as CKAN tags (letters, digits, space, - _ .; 2 to 100 characters)."""
    found = {tag for keyword in keywords if (tag := _tag(keyword))}
    return [{"name": tag} for tag in sorted(found)]


def dcat_ap_de_fields(record: HarvestRecord, source: str) -> dict[str, Any]:
    metadata = record.metadata(source)
    meta = build_metadata(metadata, {}, [], base_uri=record.source_uri or source)
    values = dataset_fields(meta, None)
    out = {k: values.get(k, [] if k == "spatial_coverage" else "") for k in HARVESTED_FIELDS}
    # a publish says DEU when nothing is given; a harvest passes on only what it got
    out["language"] = values["language"] if record.languages else []
    out["url"] = record.landing_page or ""
    return out
