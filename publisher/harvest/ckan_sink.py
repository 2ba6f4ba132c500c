"""An organisation of a CKAN as a harvest sink, through the project's one CKAN
seam (publisher.ckan.client: failures sorted by HTTP status, safe calls
retried). A record with a harvested description goes in whole
(publisher.harvest.ckan_fields): its distributions as resources with the
city's addresses, and every field this CKAN's schema has; what it cannot hold
is reported for the record, before anything is written.
"""

from __future__ import annotations

import hashlib
from typing import Any

import ckanapi

from publisher.ckan.client import CkanClient
from publisher.ckan.preflight import Instance, read_instance, refused
from publisher.errors import InputError
from publisher.harvest.accounting import Change
from publisher.harvest.ckan_fields import Mapped, fit, map_graph
from publisher.harvest.model import HarvestRecord
from publisher.licences import normalise


class CkanSink:
    def __init__(self, client: CkanClient, organisation: str):
        self.client = client
        self.organisation = organisation
        self.label = f"ckan:{client.url}#{organisation}"
        self._site: tuple[Instance, dict[str, Any]] | None = None
        self._mapped: dict[str, tuple[str, Mapped]] = {}

    def site(self) -> tuple[Instance, dict[str, Any]]:
        """What this CKAN offers: licences and its dataset schema (read once)."""
        if self._site is None:
            schema = self.client.call("scheming_dataset_schema_show", type="dataset")
            self._site = (read_instance(self.client), schema)
        return self._site

    def mapped(self, record: HarvestRecord) -> Mapped:
        digest = hashlib.sha256((record.graph or "").encode()).hexdigest()
        known = self._mapped.get(record.name)
        if known is None or known[0] != digest:
            instance, schema = self.site()
            out = map_graph(record.graph or "", lambda text: instance.licence_id(normalise(text)))
            fit(out, schema)
            known = self._mapped[record.name] = (digest, out)
        return known[1]

    def fields(self, record: HarvestRecord, source: str) -> dict[str, Any]:
        """The package as sent (name, organisation, fields, resources)."""
        if not record.graph:
            raise InputError("the record holds no harvested description (harvested by an "
                             "older version)", where=record.name, hint="harvest with --full")
        base: dict[str, Any] = {"name": record.name, "owner_org": self.organisation}
        out = self.mapped(record)
        fields = {**out.dataset, **base, "resources": out.resources}
        fields["title"] = str(fields.get("title") or record.title)[:500]
        emails = [c["email"] for c in fields.get("contact") or [] if c.get("email")]
        if emails:
            fields["contact_email"] = emails[0]
        return fields

    def _show(self, name: str) -> dict[str, Any] | None:
        return self.client.show("package_show", id=name)

    def upsert(self, record: HarvestRecord, source: str) -> bool:
        fields = self.fields(record, source)
        existing = self._show(record.name)
        try:
            if existing is None:
                self.client.call("package_create", **fields)
            else:
                if existing.get("owner_org") not in (None, self.organisation) and \
                        existing.get("organization", {}).get("name") != self.organisation:
                    raise InputError("the name is taken by a dataset of another organisation",
                                     where=record.name, hint="harvest with --prefix")
                self.client.call("package_patch", id=existing["id"], state="active", **fields)
        except ckanapi.ValidationError as exc:
            raise refused(exc, f"the harvested dataset {record.source_id}",
                          record.name) from None
        return True

    def delete(self, name: str) -> bool:
        existing = self._show(name)
        if existing is None or existing.get("state") == "deleted":
            return False
        self.client.call("package_delete", id=existing["id"])
        return True

    def has(self, name: str) -> bool:
        existing = self._show(name)
        return existing is not None and existing.get("state") == "active"

    def dropped(self, record: HarvestRecord) -> list[tuple[str, str, Change]]:
        return list(self.mapped(record).dropped) if record.graph else []
