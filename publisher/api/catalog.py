"""What the API reads from the local catalogue, and who may see it.

Anonymous readers see public, undeleted datasets only; a steward (token) sees
private ones too. Tombstones are never served as datasets; the DCAT feed shows
them (and datasets made private after being public) as deletions until the
retention period ends.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from publisher.api.errors import ApiError
from publisher.api.tables import DOWNLOAD_FORMATS, TableCache
from publisher.catalog.records import descriptor, modified, served_uri
from publisher.catalog.store import CatalogEntry, CatalogStore
from publisher.metadata.model import is_box
from publisher.settings import Settings


def organisation(metadata: dict[str, Any]) -> str:
    value = metadata.get("organization") or metadata.get("publisher") or ""
    if isinstance(value, dict):
        value = value.get("title") or value.get("name") or ""
    return str(value)


def keywords(metadata: dict[str, Any]) -> list[str]:
    value = metadata.get("keywords") or metadata.get("tags") or []
    return [str(k) for k in value] if isinstance(value, list) else []


@dataclass(frozen=True)
class FeedItem:
    entry: CatalogEntry
    modified: str
    deleted: bool  # a tombstone, or a dataset no longer public


class Catalog:
    def __init__(self, settings: Settings):
        self.store = CatalogStore(settings.catalog_dir)
        self.tables = TableCache(settings.catalog_dir / "cache")
        self.base = settings.public_url.rstrip("/")
        self.retention = dt.timedelta(days=settings.tombstone_days)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._entries: list[CatalogEntry] = []

    # --- reading -------------------------------------------------------------------

    def entries(self) -> list[CatalogEntry]:
        """Every entry, re-read only when the catalogue file changed."""
        try:
            stat = os.stat(self.store.db_path)
            stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp is None or stamp != self._stamp:
                self._entries = self.store.entries() if stamp is not None else []
                self._stamp = stamp
            return self._entries

    def visible(self, steward: bool) -> list[CatalogEntry]:
        return [e for e in self.entries() if not e.deleted and (e.public or steward)]

    def get(self, name: str, steward: bool = False) -> CatalogEntry:
        for entry in self.visible(steward):
            if entry.name == name:
                return entry
        raise ApiError(404, "not-found", f"no published dataset named '{name}'")

    def search(self, *, q: str | None, tag: str | None, organization: str | None,
               bbox: tuple[float, float, float, float] | None, modified_since: str | None,
               after: str | None, limit: int, steward: bool
               ) -> tuple[list[CatalogEntry], bool]:
        """Matching entries ordered by name after AFTER, and whether more follow."""
        terms = (q or "").lower().split()
        found: list[CatalogEntry] = []
        for entry in self.visible(steward):
            if after is not None and entry.name <= after:
                continue
            if modified_since is not None and modified(entry) < modified_since:
                continue
            if tag is not None and tag.lower() not in {k.lower() for k in keywords(entry.metadata)}:
                continue
            if organization is not None and organization.lower() != \
                    organisation(entry.metadata).lower():
                continue
            if terms and not all(t in _haystack(entry) for t in terms):
                continue
            if bbox is not None and not _overlaps(self.bbox(entry), bbox):
                continue
            found.append(entry)
            if len(found) > limit:
                break
        return found[:limit], len(found) > limit

    def bbox(self, entry: CatalogEntry) -> list[float] | None:
        """The union of the resources' extents in CRS84, None without geometry: the
        `bbox` the writer put in the descriptor, else (versions published before it
        did) the extent of the resource's query file."""
        boxes = []
        for item in descriptor(entry).get("resources", []):
            if not isinstance(item, dict) or item.get("format") not in ("csv", "geojson", "gpkg"):
                continue
            if item.get("format") == "csv" and "geometry" not in item:
                continue
            given = item.get("bbox")
            box = ([float(v) for v in given] if given is not None and is_box(given) else
                   self.tables.query_table(entry, str(item["name"]))[1].bbox)
            if box:
                boxes.append(box)
        if not boxes:
            return None
        return [min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes)]

    def feed(self, since: str | None, after: tuple[str, str] | None,
             limit: int) -> tuple[list[FeedItem], bool]:
        """Changes in (modified, name) order for harvesters: public datasets, and
        deletions (tombstones, or datasets made private after being public)
        inside the retention period."""
        horizon = (dt.datetime.now(dt.UTC) - self.retention).isoformat(timespec="microseconds")
        items = []
        for entry in self.entries():
            stamp = modified(entry)
            gone = entry.deleted or not entry.public
            if gone and (not entry.ever_public or stamp < horizon):
                continue
            if since is not None and stamp < since:
                continue
            if after is not None and (stamp, entry.name) <= after:
                continue
            items.append(FeedItem(entry, stamp, gone))
        items.sort(key=lambda i: (i.modified, i.entry.name))
        return items[:limit], len(items) > limit

    def purge(self) -> list[str]:
        horizon = (dt.datetime.now(dt.UTC) - self.retention).isoformat(timespec="microseconds")
        names = self.store.purge_tombstones(horizon)
        for name in names:
            shutil.rmtree(self.tables.root / name, ignore_errors=True)
        return names

    # --- rendering -----------------------------------------------------------------

    def uri(self, entry: CatalogEntry) -> str:
        """The dataset's URI in DCAT: for a published dataset the stable URI that
        redirects to the metadata address, for a harvested one the source's."""
        return served_uri(self.base, entry)

    def summary(self, entry: CatalogEntry) -> dict[str, Any]:
        md = entry.metadata
        uri = self.uri(entry)
        api = f"{self.base}/datasets/{quote(entry.name, safe='')}"
        return {
            "name": entry.name, "title": entry.title or str(md.get("title", entry.name)),
            "description": str(md.get("description", "")),
            "organization": organisation(md), "keywords": keywords(md),
            "license": md.get("license"), "modified": modified(entry),
            "version": entry.version, "public": entry.public, "uri": uri,
            "links": {"self": api, "dcat_ttl": f"{api}/dcat.ttl",
                      "dcat_jsonld": f"{api}/dcat.jsonld",
                      "datapackage": f"{api}/datapackage.json"},
        }

    def detail(self, entry: CatalogEntry) -> dict[str, Any]:
        out = self.summary(entry)
        uri = out["links"]["self"]
        md = entry.metadata
        out["contact_email"] = md.get("contact_email")
        out["published_at"] = entry.published_at
        out["bbox"] = self.bbox(entry)
        resources = []
        for item in descriptor(entry).get("resources", []):
            if not isinstance(item, dict) or "name" not in item:
                continue
            base = f"{uri}/resources/{quote(str(item['name']), safe='')}"
            resources.append({
                "name": item["name"], "title": item.get("title"), "format": item.get("format"),
                "mediatype": item.get("mediatype"), "bytes": item.get("bytes"),
                "hash": item.get("hash"),
                "fields": [{"name": f.get("name"), "type": f.get("type", "string")}
                           for f in item.get("schema", {}).get("fields", [])
                           if isinstance(f, dict)],
                "downloads": {fmt: f"{base}/download?format={fmt}" for fmt in DOWNLOAD_FORMATS},
                "rows": f"{base}/rows",
            })
        for item in md.get("resources", []) if isinstance(md.get("resources"), list) else []:
            if isinstance(item, dict) and item.get("url"):  # harvested: remote files only
                resources.append({"name": item.get("name"), "title": item.get("title"),
                                  "format": item.get("format"), "url": item["url"]})
        out["resources"] = resources
        if isinstance(md.get("harvest"), dict):
            out["harvest"] = md["harvest"]
        return out


def _haystack(entry: CatalogEntry) -> str:
    md = entry.metadata
    return " ".join([entry.name, entry.title, str(md.get("description", "")),
                     *keywords(md), organisation(md)]).lower()


def _overlaps(box: list[float] | None, query: tuple[float, float, float, float]) -> bool:
    if box is None:
        return False
    return box[0] <= query[2] and box[2] >= query[0] and box[1] <= query[3] and box[3] >= query[1]
