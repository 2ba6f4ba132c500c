"""A CKAN as a harvest source, read anonymously (public datasets only).

Changes: `package_search` with `fq=metadata_modified:[since TO *]`, sorted by
(metadata_modified, id) and paged by keyset on that pair, so datasets changed
while we page are picked up later, never skipped. Deletions and datasets
made private: names in our state that `package_list` no longer lists. Datasets
made public later (CKAN does not move their metadata_modified): names
`package_list` lists that we have never seen, fetched with `package_show`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import ckanapi
from rdflib.namespace import DCAT

from publisher.ckan.client import CkanClient
from publisher.errors import InputError
from publisher.harvest import fields
from publisher.harvest.accounting import Change, ItemReport, RecordReport
from publisher.harvest.ckan_graph import flat, package_graph
from publisher.harvest.ckan_graph import values as listed
from publisher.harvest.dcat_map import canonical, resource_fields
from publisher.harvest.model import HarvestRecord, HarvestReport
from publisher.harvest.normalise import normalise
from publisher.metadata import vocab

PAGE = 100
_NO_PROPERTY = "no DCAT-AP.de property for this CKAN field"


class CkanSource:
    def __init__(self, url: str, client: CkanClient | None = None,
                 organization: str | None = None):
        """ORGANIZATION limits the harvest to one organisation's datasets
        (source `ckan:URL#ORGANISATION`). CLIENT: the project's one CKAN client
        (read anonymously by default): every call here is a read, so a transient
        failure is retried a bounded number of times, and a terminal one (a 4xx,
        an answer that is not CKAN's) is not."""
        self.url = url.rstrip("/")
        self.organization = organization
        self.client = client or CkanClient(self.url, None, user_agent="publisher-harvest")
        self._org_fq = f" AND organization:{organization}" if organization else ""

    def _call(self, action: str, **params: Any) -> Any:
        try:
            return self.client.call(action, idempotent=True, **params)
        except ckanapi.ValidationError as exc:
            raise InputError(f"{action} refused: {exc}", where=self.url) from None

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
        """A public dataset; None when it is gone or not public (any more)."""
        try:
            package: dict[str, Any] = self._call("package_show", id=name)
        except (ckanapi.NotFound, ckanapi.NotAuthorized):
            return None
        return package


def _solr_time(stamp: str, bump: bool = False) -> str:
    """CKAN's metadata_modified (UTC, no zone) as a Solr date, to the millisecond."""
    from datetime import datetime, timedelta

    value = datetime.fromisoformat(stamp.replace("Z", "+00:00")).replace(tzinfo=None)
    if bump:
        value += timedelta(milliseconds=1)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


# DCAT-AP.de fields as CKANs give them: our scheming names (ckanext-dcat's
# euro_dcat_ap_scheming), then ckanext-dcatde's extras; the first one given counts.
_SOURCES: dict[str, tuple[str, ...]] = {
    "language": ("language",),
    "frequency": ("frequency",),
    "contributor": ("contributor_id", "contributorID"),
    "geocoding": ("political_geocoding_uri", "politicalGeocodingURI", "spatial_uri"),
    "geocoding_level": ("political_geocoding_level_uri", "politicalGeocodingLevelURI"),
    "temporal_start": ("temporal_start",),
    "temporal_end": ("temporal_end",),
    "temporal_coverage": ("temporal_coverage",),
    "spatial_coverage": ("spatial_coverage",),
    "geometry": ("spatial",),
    "bbox": ("geographic_bbox",),
    "place": ("geographic_toponym", "spatial_text"),
    "landing_page": ("url",),
    "publisher": ("publisher",),
}


class _Picked:
    def __init__(self, flat: dict[str, Any]):
        self.flat = flat
        self.used: set[str] = set()
        self.values: dict[str, Any] = {}
        self.dropped: set[str] = set()

    def given(self, what: str) -> list[tuple[str, list[Any]]]:
        return [(k, listed(self.flat[k])) for k in _SOURCES[what] if k in self.flat]

    def set(self, key: str, value: Any, source: str) -> None:
        if value:
            if self.values.setdefault(key, value) != value:
                self.dropped.add(key)  # one value kept: the others are reported
            self.used.add(source)


def _dcat_ap_de(flat: dict[str, Any]) -> _Picked:
    """languages, geocoding, spatial, temporal, frequency, landing page,
    contributor id, originator (CKAN's author) and maintainer."""
    pick = _Picked(flat)
    for key, values in pick.given("language"):
        pick.set("languages", sorted({c for v in values if (c := fields.language_code(str(v)))}),
                 key)
    for key, values in pick.given("frequency"):
        for v in values:
            pick.set("frequency", fields.frequency_code(str(v)), key)
    for key, values in pick.given("contributor"):
        for v in values:
            if isinstance(v, str) and v.strip():
                pick.set("contributor_id", vocab.contributor_uri(v.strip()), key)
    for key, values in pick.given("geocoding"):
        for v in values:
            pick.set("municipality_key", fields.geocoding_key(str(v)), key)
    if "municipality_key" in pick.values:
        pick.used.update(k for k, _ in pick.given("geocoding_level"))
    for key, values in pick.given("landing_page"):
        url = str(values[0]) if values else ""
        if url.startswith(("http://", "https://")):
            pick.set("landing_page", url, key)
    _spatial(pick)
    _temporal(pick)
    for role, name_key, mail_key in (("originator", "author", "author_email"),
                                     ("maintainer", "maintainer", "maintainer_email")):
        found = fields.agent(str(flat.get(name_key) or ""), None,
                             str(flat.get(mail_key) or "") or None)
        pick.set(role, found, name_key)
    for key, values in pick.given("publisher"):
        first = values[0] if values else None
        uri = str(first.get("uri") or "") if isinstance(first, dict) else ""
        if uri.startswith(("http://", "https://")):
            pick.set("publisher_uri", uri, key)
    return pick


def _geo_text(value: Any) -> str | None:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return (str(value).strip() or None) if value is not None else None


def _spatial(pick: _Picked) -> None:
    for key, values in pick.given("spatial_coverage"):
        for item in values:
            if not isinstance(item, dict):
                continue
            pick.set("municipality_key", fields.geocoding_key(str(item.get("uri") or "")), key)
            pick.set("place", str(item.get("text") or "").strip(), key)
            pick.set("geometry", _geo_text(item.get("geom")), key)
            pick.set("bbox", _geo_text(item.get("bbox")), key)
    for what in ("geometry", "bbox", "place"):
        for key, values in pick.given(what):
            if values:
                pick.set(what, _geo_text(values[0]), key)


def _temporal(pick: _Picked) -> None:
    period: dict[str, str] = {}
    sources: list[str] = []
    for key, values in pick.given("temporal_coverage"):
        for item in values:
            if isinstance(item, dict):
                for end in ("start", "end"):
                    if (found := fields.temporal_value(item.get(end))) and end not in period:
                        period[end] = found
                        sources.append(key)
    for end in ("start", "end"):
        for key, values in pick.given(f"temporal_{end}"):
            if values and (found := fields.temporal_value(values[0])) and end not in period:
                period[end] = found
                sources.append(key)
    for key in sources:
        pick.set("temporal", period, key)


def map_package(package: dict[str, Any], prefix: str, report: HarvestReport, *,
                base: str) -> HarvestRecord:
    """A CKAN dataset as a record: its DCAT graph (publisher.harvest.ckan_graph) in
    DCAT-AP.de 3.0, and the fields the local catalogue lists. BASE: the CKAN's
    address, for the IRIs of datasets and resources that have none of their own."""
    name = package.get("name")
    title = package.get("title") or name
    if not name or not title:
        raise InputError("a package without name or title")
    notes = package.get("notes") or ""
    if not notes:
        report.note_gap("description")
    org = package.get("organization") or {}
    extra = _dcat_ap_de(flat(package))
    graph, node, unmapped, left = package_graph(package, base.rstrip("/"))
    accounts = RecordReport(id=str(name), name=f"{prefix}{name}"[:100],
                            dataset=ItemReport(kind="dataset", id=str(node)))
    own = normalise(graph, node, accounts)
    extras = {str(e.get("key")) for e in package.get("extras") or [] if isinstance(e, dict)}
    for key in unmapped:
        shown_key = f"extras:{key}" if key in extras and key not in package else key
        report.note_unmapped(shown_key)
        accounts.dataset.dropped.append(Change(shown_key, _NO_PROPERTY))
    for item in accounts.distributions:
        item.dropped += [Change(key, _NO_PROPERTY) for key in left.get(item.id, [])]
    report.records.append(accounts)
    distributions = sorted(own.objects(node, DCAT.distribution), key=str)
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
        resources=[r for d in distributions if (r := resource_fields(own, d)).get("url")],
        source_uri=str(node), graph=canonical(own), **extra.values)
