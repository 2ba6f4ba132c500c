"""A CKAN as a harvest source, read anonymously (public datasets only).

Changes: `package_search` with `fq=metadata_modified:[since TO *]`, sorted by
(metadata_modified, id) and paged by keyset on that pair, so datasets changed
while we page are picked up later, never skipped. Deletions and datasets
made private: names in our state that `package_list` no longer lists. Datasets
made public later (CKAN does not move their metadata_modified): names
`package_list` lists that we have never seen, fetched with `package_show`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckanapi

from publisher.errors import InputError, TransientError
from publisher.harvest.model import HarvestRecord, HarvestReport

PAGE = 100
MAPPED = {"name", "title", "notes", "organization", "owner_org", "tags", "license_id",
          "license_title", "license_url", "metadata_modified", "resources", "id", "author",
          "maintainer", "maintainer_email", "author_email", "contact_email", "theme"}


class CkanSource:
    def __init__(self, url: str, client: Any | None = None, organization: str | None = None):
        """ORGANIZATION limits the harvest to one organisation's datasets
        (source `ckan:URL#ORGANISATION`)."""
        self.url = url.rstrip("/")
        self.organization = organization
        self.client = client or ckanapi.RemoteCKAN(self.url, user_agent="publisher-harvest")
        self._org_fq = f" AND organization:{organization}" if organization else ""

    def _call(self, action: str, **params: Any) -> Any:
        try:
            return getattr(self.client.action, action)(**params)
        except ckanapi.NotFound:
            raise
        except ckanapi.ValidationError as exc:
            raise InputError(f"{action} refused: {exc}", where=self.url) from None
        except (ckanapi.CKANAPIError, OSError) as exc:
            raise TransientError(f"{action} failed ({type(exc).__name__})", where=self.url) \
                from None

    def names(self) -> set[str]:
        """Names of every public dataset (of the organisation, if one is given)."""
        if self.organization:
            return self._org_names()
        names: set[str] = set()
        offset = 0
        while True:
            batch = self._call("package_list", limit=1000, offset=offset)
            names.update(batch)
            if len(batch) < 1000:
                return names
            offset += len(batch)

    def _org_names(self) -> set[str]:
        names: set[str] = set()
        start = 0
        while True:
            result = self._call("package_search", fq=f"organization:{self.organization}",
                                fl="name", sort="name asc", rows=1000, start=start,
                                include_private=False)
            names.update(str(p["name"]) for p in result["results"])
            if len(result["results"]) < 1000:
                return names
            start += 1000

    def changed(self, since: str | None) -> Iterator[dict[str, Any]]:
        """Public datasets modified at or after SINCE (a CKAN metadata_modified)."""
        lower = _solr_time(since) if since else "*"
        start = 0
        seen: set[tuple[str, str]] = set()
        while True:
            fq = f"metadata_modified:[{lower} TO *]{self._org_fq}"
            result = self._call("package_search", fq=fq,
                                sort="metadata_modified asc, id asc", rows=PAGE, start=start,
                                include_private=False)
            rows = result["results"]
            for package in rows:
                key = (package["id"], package["metadata_modified"])
                if key not in seen:
                    seen.add(key)
                    yield package
            if len(rows) < PAGE:
                return
            new_lower = _solr_time(rows[-1]["metadata_modified"])
            if new_lower == lower:  # one millisecond holds a whole page: step by offset
                start += PAGE
            else:
                lower, start = new_lower, 0

    def show(self, name: str) -> dict[str, Any] | None:
        try:
            package: dict[str, Any] = self._call("package_show", id=name)
        except ckanapi.NotFound:
            return None
        except ckanapi.NotAuthorized:
            return None
        return package


def _solr_time(stamp: str, bump: bool = False) -> str:
    """CKAN's metadata_modified (UTC, no zone) as a Solr date, to the millisecond."""
    from datetime import datetime, timedelta

    value = datetime.fromisoformat(stamp.replace("Z", "+00:00")).replace(tzinfo=None)
    if bump:
        value += timedelta(milliseconds=1)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def map_package(package: dict[str, Any], prefix: str, report: HarvestReport) -> HarvestRecord:
    name = package.get("name")
    title = package.get("title") or name
    if not name or not title:
        raise InputError("a package without name or title")
    notes = package.get("notes") or ""
    if not notes:
        report.note_gap("description")
    org = package.get("organization") or {}
    for key in set(package) - MAPPED:
        if package[key] not in (None, "", [], {}):
            report.note_unmapped(key)
    resources = [{"url": str(r["url"]), "name": str(r.get("name") or r["url"])[:200],
                  "format": str(r.get("format") or "").lower()}
                 for r in package.get("resources") or [] if r.get("url")]
    email = package.get("contact_email") or package.get("maintainer_email") \
        or package.get("author_email")
    return HarvestRecord(
        source_id=str(name), name=f"{prefix}{name}"[:100], title=str(title),
        description=str(notes), publisher=str(org.get("title") or org.get("name") or ""),
        modified=package.get("metadata_modified"),
        keywords=sorted(str(t["name"]) for t in package.get("tags") or [] if t.get("name")),
        themes=[str(t).rstrip("/").rsplit("/", 1)[-1] for t in package.get("theme") or []
                if isinstance(package.get("theme"), list)],
        license=package.get("license_id") or None, contact_email=email,
        resources=resources, source_uri=f"{package.get('id')}")
