"""A dataset page's content: metadata, licence with its source note, downloads
with sizes and checksums, the resources that have a map, the table preview
and the audit summary. Everything comes from the published version."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from publisher.api.catalog import Catalog
from publisher.api.tables import DOWNLOAD_FORMATS
from publisher.catalog.records import descriptor, entry_metadata
from publisher.catalog.store import CatalogEntry
from publisher.pipeline.run import AUDIT_JSON, AUDIT_PAGE
from publisher.web import i18n
from publisher.web.audit_summary import AuditSummary, summarise
from publisher.web.i18n import Lang
from publisher.web.preview import preview

SPATIAL = ("csv", "geojson", "gpkg")


def audit_record(entry: CatalogEntry) -> dict[str, Any] | None:
    path = entry.version_dir / AUDIT_JSON
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def has_audit_page(entry: CatalogEntry) -> bool:
    return AUDIT_PAGE in entry.files and (entry.version_dir / AUDIT_PAGE).is_file()


def _spatial(item: dict[str, Any]) -> bool:
    fmt = item.get("format")
    return fmt in ("geojson", "gpkg") or (fmt == "csv" and "geometry" in item)


def source_note(md: Any, audit: dict[str, Any] | None, lang: Lang) -> str | None:
    """The attribution a user gives (DL-DE BY 2.0 and GovData convention 35): who
    provides the data, the licence with its address, the dataset's address,
    and whether the data were changed."""
    if md.licence is None or md.licence.kind not in ("attribution", "share-alike"):
        return None
    parts = [md.attribution or md.publisher, md.licence.title]
    if md.licence.url:
        parts[-1] += f" ({md.licence.url})"
    parts.append(md.uri)
    note = ", ".join(p for p in parts if p)
    if audit and audit.get("steps"):
        note += "; " + i18n.translator(lang)("ds.changed")
    return note


def context(cat: Catalog, entry: CatalogEntry, lang: Lang, resource: str | None,
            page: int) -> dict[str, Any]:
    md = entry_metadata(cat.base, entry)
    audit = audit_record(entry)
    items = [r for r in descriptor(entry).get("resources", [])
             if isinstance(r, dict) and r.get("name")]
    api = f"/datasets/{quote(entry.name, safe='')}"
    downloads = []
    for dist in md.distributions:
        item = next((r for r in items if r.get("path") == dist.key), None)
        other = ({fmt: f"{api}/resources/{quote(str(item['name']), safe='')}/download?"
                  f"format={fmt}" for fmt in DOWNLOAD_FORMATS
                  if fmt not in ("original", str(item.get("format")))
                  and (fmt not in ("geojson", "geoparquet") or _spatial(item))}
                 if item else {})
        downloads.append({"title": dist.title, "file": dist.key, "format": dist.format.upper(),
                          "bytes": dist.bytes, "sha256": dist.sha256,
                          "url": dist.download_url.removeprefix(cat.base), "other": other})
    names = [str(r["name"]) for r in items]
    chosen = resource if resource in names else (names[0] if names else None)
    maps = [{"resource": str(r["name"]), "title": str(r.get("title") or r["name"]),
             "url": f"{api}/resources/{quote(str(r['name']), safe='')}/map.geojson"
             + ("?lang=en" if lang == "en" else "")}
            for r in items if _spatial(r)]
    summary: AuditSummary | None = summarise(audit, lang) if audit else None
    return {
        "entry": entry, "md": md, "api": api,
        "themes": [i18n.theme(code, lang) for code in md.themes],
        "frequency": i18n.frequency(md.frequency, lang),
        "note": source_note(md, audit, lang), "downloads": downloads,
        "resources": names, "resource": chosen,
        "preview": preview(cat, entry, chosen, page) if chosen else None,
        "maps": maps, "audit": summary,
        "audit_page": f"{api}/audit.html" if has_audit_page(entry) else None,
        "audit_json": f"{api}/audit.json" if audit else None,
    }
