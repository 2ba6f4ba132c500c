"""Where harvested records go: the local catalogue, or an organisation of a CKAN."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from pathlib import Path
from typing import Any, Protocol

import ckanapi

from publisher.errors import InputError, TerminalError, TransientError
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


def _tag(keyword: str) -> str | None:
    text = re.sub(r"[^\w \-.]", " ", keyword).strip()[:100]
    return text if len(text) >= 2 else None


# The scheming fields (deploy/ckan/publisher_dataset.yaml) a harvest carries
# beyond the core ones, filled by the same mapping a publish uses; each is
# written (empty if the record has none), so a value the source dropped goes too.
HARVESTED_FIELDS = ("frequency", "contributor_id", "political_geocoding_uri",
                    "political_geocoding_level_uri", "geographic_toponym", *OPTIONAL_FIELDS)


def dcat_ap_de_fields(record: HarvestRecord, source: str) -> dict[str, Any]:
    metadata = record.metadata(source)
    meta = build_metadata(metadata, {}, [], base_uri=record.source_uri or source)
    values = dataset_fields(meta, None)
    out = {k: values.get(k, [] if k == "spatial_coverage" else "") for k in HARVESTED_FIELDS}
    # a publish says DEU when nothing is given; a harvest passes on only what it got
    out["language"] = values["language"] if record.languages else []
    out["url"] = record.landing_page or ""
    return out


class CkanSink:
    def __init__(self, client: Any, organisation: str):
        self.client = client
        self.organisation = organisation
        self.label = f"ckan:{getattr(client, 'address', '')}#{organisation}"

    def _call(self, action: str, **params: Any) -> Any:
        try:
            return getattr(self.client.action, action)(**params)
        except (ckanapi.NotFound, ckanapi.NotAuthorized):
            raise
        except ckanapi.ValidationError as exc:
            fields = exc.error_dict if isinstance(exc.error_dict, dict) else {}
            names = ", ".join(sorted(k for k in fields if not k.startswith("__")))
            raise TerminalError(f"{action} refused by CKAN validation"
                                + (f" (fields: {names})" if names else ""),
                                where=str(params.get("name") or params.get("id"))) from None
        except (ckanapi.CKANAPIError, OSError) as exc:
            raise TransientError(f"{action} failed ({type(exc).__name__})") from None

    def _show(self, name: str) -> dict[str, Any] | None:
        try:
            package: dict[str, Any] = self._call("package_show", id=name)
        except ckanapi.NotFound:
            return None
        return package

    def upsert(self, record: HarvestRecord, source: str) -> bool:
        tags = sorted({t for k in record.keywords if (t := _tag(k))})
        fields: dict[str, Any] = {
            "name": record.name, "title": record.title[:500],
            "notes": record.description or record.title, "owner_org": self.organisation,
            "tags": [{"name": t} for t in tags],
            "resources": [{"url": r["url"], "name": r.get("name") or r["url"],
                           "format": r.get("format", "")} for r in record.resources],
        }
        if record.contact_email:
            fields["contact_email"] = record.contact_email
        fields.update(dcat_ap_de_fields(record, source))
        existing = self._show(record.name)
        if existing is None:
            self._call("package_create", **fields)
        else:
            if existing.get("owner_org") not in (None, self.organisation) and \
                    existing.get("organization", {}).get("name") != self.organisation:
                raise InputError("the name is taken by a dataset of another organisation",
                                 where=record.name, hint="harvest with --prefix")
            self._call("package_patch", id=existing["id"], state="active", **fields)
        return True

    def delete(self, name: str) -> bool:
        existing = self._show(name)
        if existing is None or existing.get("state") == "deleted":
            return False
        self._call("package_delete", id=existing["id"])
        return True

    def has(self, name: str) -> bool:
        existing = self._show(name)
        return existing is not None and existing.get("state") == "active"

    def dropped(self, record: HarvestRecord) -> list[tuple[str, str, Change]]:
        return []
