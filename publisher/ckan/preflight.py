"""Before anything is sent: what this CKAN offers (status, scheming schema,
licences), and whether the package fits it. CKAN validation errors are turned
into one message naming every field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckanapi

from publisher.ckan.client import CkanClient
from publisher.errors import TerminalError
from publisher.licences import Licence, normalise

# Core CKAN keys that are not scheming fields but always accepted.
CORE_DATASET = frozenset({"name", "tags", "owner_org", "private", "state", "resources"})
CORE_RESOURCE = frozenset({"hash", "mimetype", "url_type", "publisher_key", "package_id", "id"})


@dataclass(frozen=True)
class Instance:
    version: str
    dataset_fields: frozenset[str]
    resource_fields: frozenset[str]
    licences: tuple[dict[str, Any], ...]

    def missing_fields(self, dataset: dict[str, Any], resource: dict[str, Any]) -> list[str]:
        out = [f for f in dataset if f not in self.dataset_fields | CORE_DATASET]
        out += [f"resources[].{f}" for f in resource
                if f not in self.resource_fields | CORE_RESOURCE]
        return out

    def licence_id(self, licence: Licence | None) -> str | None:
        """The id this CKAN lists for the licence, matched through the crosswalk."""
        if licence is None:
            return None
        for entry in self.licences:
            for value in (entry.get("id"), entry.get("url"), entry.get("title")):
                if isinstance(value, str) and value and normalise(value) == licence:
                    return str(entry["id"])
        return None


def read_instance(client: CkanClient) -> Instance:
    where = client.url
    status = client.call("status_show")
    if "scheming_datasets" not in (status.get("extensions") or []):
        raise TerminalError("this CKAN does not run ckanext-scheming; the publisher writes "
                            "its DCAT-AP metadata to scheming fields, never to extras",
                            where=where, hint="install deploy/ckan/publisher_dataset.yaml")
    try:
        schema = client.call("scheming_dataset_schema_show", type="dataset")
    except ckanapi.NotFound:
        raise TerminalError("this CKAN has no scheming schema for type 'dataset'",
                            where=where) from None
    licences = client.call("license_list")
    return Instance(
        version=str(status.get("ckan_version", "")),
        dataset_fields=frozenset(f["field_name"] for f in schema.get("dataset_fields", [])),
        resource_fields=frozenset(f["field_name"] for f in schema.get("resource_fields", [])),
        licences=tuple(licences))


def validation_message(error: ckanapi.ValidationError) -> tuple[str, list[str]]:
    """'CKAN refused ...: field: message; ...' and the list of fields named."""
    raw = error.error_dict if isinstance(error.error_dict, dict) else {}
    problems: list[tuple[str, str]] = []
    _flatten(raw, "", problems)
    fields = sorted({f for f, _ in problems})
    text = "; ".join(f"{f}: {m}" for f, m in problems) or "no details given"
    return text, fields


def _flatten(value: Any, prefix: str, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "__type":
                continue
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        out.append((prefix, " ".join(value)))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            if inner:
                _flatten(inner, f"{prefix}[{i}]", out)
    elif value:
        out.append((prefix, str(value)))


class CkanValidationError(TerminalError):
    """CKAN refused the data; `fields` names every field it complained about."""

    def __init__(self, message: str, *, fields: list[str], where: str | None = None,
                 hint: str | None = None):
        super().__init__(message, where=where, hint=hint)
        self.fields = fields


def refused(error: ckanapi.ValidationError, what: str, where: str) -> CkanValidationError:
    text, fields = validation_message(error)
    return CkanValidationError(f"CKAN refused {what}: {text}", fields=fields, where=where,
                               hint="fix the named field(s) in the pipeline's dataset section")
