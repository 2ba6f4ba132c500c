"""What a catalogue entry says, as every reader of the store needs it (the API,
the pages, the handover): its published descriptor, its modification time, the
IRI it is served under, and its neutral metadata record."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any
from urllib.parse import quote

from publisher.catalog.store import CatalogEntry
from publisher.metadata import DatasetMetadata, build_metadata
from publisher.metadata.model import dataset_uri
from publisher.package.staged import StagedFile


def descriptor(entry: CatalogEntry) -> dict[str, Any]:
    """The datapackage.json of the entry's version (no resources if it has none)."""
    path = entry.version_dir / "datapackage.json"
    if "datapackage.json" not in entry.files or not path.is_file():
        return {"resources": []}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {"resources": []}


def modified(entry: CatalogEntry) -> str:
    """The entry's modification time as UTC text with microseconds (sorts as text)."""
    try:
        value = dt.datetime.fromisoformat(entry.modified.replace("Z", "+00:00"))
    except ValueError:
        return entry.modified
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def kept_graph(entry: CatalogEntry) -> str | None:
    """The harvested description the entry holds (Turtle), if any."""
    harvest = entry.metadata.get("harvest")
    graph = harvest.get("graph") if isinstance(harvest, dict) else None
    return graph if isinstance(graph, str) and graph.strip() else None


def is_harvested(entry: CatalogEntry) -> bool:
    """Whether the entry holds a harvested description to serve."""
    return kept_graph(entry) is not None


def served_uri(base: str, entry: CatalogEntry) -> str:
    """The dataset's IRI in DCAT: the source's for a harvested dataset (a blank
    node in the source gets ours), ours for a published one."""
    if is_harvested(entry):
        uri = str(entry.metadata["harvest"].get("uri") or "")
        if uri.startswith(("http://", "https://", "urn:")):
            return uri
    return dataset_uri(base, entry.name)


def record_uri(base: str, entry: CatalogEntry) -> str:
    return f"{base.rstrip('/')}/datasets/{quote(entry.name, safe='')}#record"


def entry_metadata(base: str, entry: CatalogEntry) -> DatasetMetadata:
    """The neutral metadata record of an entry, with links into the data API at BASE."""
    desc = descriptor(entry)
    base = base.rstrip("/")
    api = f"{base}/datasets/{quote(entry.name, safe='')}"
    files: list[StagedFile] = []
    urls: dict[str, str] = {}
    for item in desc.get("resources", []):
        path, digest = item.get("path"), str(item.get("hash", ""))
        if isinstance(path, str) and digest.startswith("sha256:"):
            files.append(StagedFile(path, digest.removeprefix("sha256:"), int(item["bytes"])))
            urls[path] = f"{api}/resources/{quote(str(item['name']), safe='')}/download"
    package = entry.version_dir / "datapackage.json"
    if "datapackage.json" in entry.files and package.is_file():
        data = package.read_bytes()
        files.append(StagedFile("datapackage.json", hashlib.sha256(data).hexdigest(), len(data)))
        urls["datapackage.json"] = f"{api}/datapackage.json"
    md: dict[str, Any] = {"description": "", "publisher": "", **entry.metadata,
                          "name": entry.name}
    md.setdefault("title", entry.title or entry.name)
    return build_metadata(md, desc, files, base_uri=base, urls=urls,
                          modified=dt.datetime.fromisoformat(modified(entry)))
