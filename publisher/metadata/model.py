"""One neutral record of what a published dataset says about itself, built
from the pipeline's `dataset:` section, the staged datapackage descriptor and
the staged files. The profiles (DCAT-AP.de, DCAT-AP.AT, CKAN) map from it.

The descriptor read here is the published one (built by the pipeline, not the
raw package's): resource titles and descriptions, the licence when the
section names none, keywords when it gives none, and the spatial extent (the
union of the resources' `bbox`) when it gives no `bbox`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from publisher.licences import Licence, normalise
from publisher.metadata import vocab
from publisher.package.staged import StagedFile

DESCRIPTOR = "datapackage.json"
FRICTIONLESS_PROFILE = "https://specs.frictionlessdata.io/data-package/"


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None = None
    url: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Agent:
    """A dataset's originator or maintainer (DCAT-AP.de 3.0: geodcatap:originator,
    geodcatap:custodian; before: dcatde:originator, dcatde:maintainer)."""
    name: str
    uri: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Period:
    """Temporal coverage (dct:temporal): ISO dates, date-times or years; either
    end may be open."""
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Distribution:
    key: str  # the staged path, e.g. data/trees.geojson: stable across runs
    title: str
    format: str  # lower-case file extension
    sha256: str
    bytes: int
    access_url: str
    download_url: str
    description: str = ""
    media_type: str | None = None
    conforms_to: str | None = None

    @property
    def file_type_uri(self) -> str | None:
        return vocab.file_type(self.format)

    @property
    def media_type_uri(self) -> str | None:
        return vocab.media_type(self.format, self.media_type)


@dataclass(frozen=True)
class DatasetMetadata:
    name: str
    uri: str
    title: str
    description: str
    publisher: str
    publisher_uri: str | None = None
    contact: Contact | None = None
    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    licence: Licence | None = None
    licence_given: str | None = None  # as written, when the crosswalk does not know it
    attribution: str | None = None
    contributor_id: str | None = None
    municipality_key: str | None = None
    place: str | None = None
    languages: tuple[str, ...] = ("DEU",)
    frequency: str | None = None
    legal_basis: str | None = None
    applicable_legislation: tuple[str, ...] = ()  # ELI URIs
    landing_page: str | None = None
    originator: Agent | None = None
    maintainer: Agent | None = None
    temporal: Period | None = None
    geometry: str | None = None  # WKT or GeoJSON of the area covered
    bbox: str | None = None  # its bounding box, WKT or GeoJSON
    modified: datetime | None = None
    distributions: tuple[Distribution, ...] = field(default=())

    @property
    def geocoding(self) -> tuple[str, str] | None:
        """(political geocoding URI, level URI) from the municipality key."""
        key = self.municipality_key
        return vocab.political_geocoding(key) if key and vocab.is_official_key(key) else None


def published_files(descriptor: Mapping[str, Any], files: Sequence[StagedFile]
                    ) -> list[StagedFile]:
    """The data files of the descriptor and the descriptor itself; run artefacts
    (reports, the audit page) change every run and are not distributions."""
    paths = {str(r.get("path")) for r in descriptor.get("resources") or []} | {DESCRIPTOR}
    return [f for f in files if f.path in paths]


def dataset_uri(base_uri: str, name: str) -> str:
    return f"{base_uri.rstrip('/')}/dataset/{name}"


def build_metadata(dataset: Mapping[str, Any], descriptor: Mapping[str, Any],
                   files: Sequence[StagedFile], *, base_uri: str,
                   urls: Mapping[str, str] | None = None,
                   modified: datetime | None = None) -> DatasetMetadata:
    """The dataset record. `files` are the staged files (data and datapackage.json);
    `urls` maps a file's staged path to where it can be downloaded (default:
    <base_uri>/dataset/<name>/files/<path>)."""
    name = str(dataset["name"])
    uri = dataset_uri(base_uri, name)
    licence_value = dataset.get("license") or _descriptor_licence(descriptor)
    licence = normalise(licence_value) if licence_value else None
    attribution = dataset.get("attribution")
    if attribution is None and licence is not None and licence.kind in ("attribution",
                                                                         "share-alike"):
        attribution = str(dataset["publisher"])
    return DatasetMetadata(
        name=name, uri=uri, title=str(dataset["title"]),
        description=str(dataset["description"]).strip(),
        publisher=str(dataset["publisher"]), publisher_uri=dataset.get("publisher_uri"),
        contact=_contact(dataset),
        keywords=tuple(dataset.get("keywords") or descriptor.get("keywords") or ()),
        themes=tuple(str(t).upper() for t in dataset.get("themes") or ()),
        licence=licence,
        licence_given=None if licence or not licence_value else _given(licence_value),
        attribution=attribution, contributor_id=dataset.get("contributor_id"),
        municipality_key=_str_or_none(dataset.get("municipality_key")),
        place=dataset.get("place"),
        languages=tuple(dataset.get("languages") or ("DEU",)),
        frequency=dataset.get("frequency"), legal_basis=dataset.get("legal_basis"),
        applicable_legislation=tuple(dataset.get("applicable_legislation") or ()),
        landing_page=dataset.get("landing_page"),
        originator=_agent(dataset.get("originator")),
        maintainer=_agent(dataset.get("maintainer")),
        temporal=_period(dataset.get("temporal")),
        geometry=dataset.get("geometry") or None,
        bbox=dataset.get("bbox") or extent_wkt(descriptor),
        modified=modified,
        distributions=tuple(_distributions(uri, descriptor, files, urls or {})),
    )


def extent_wkt(descriptor: Mapping[str, Any]) -> str | None:
    """The union of the resources' `bbox` ([min lon, min lat, max lon, max lat], which
    the writer gives every spatial resource) as a WKT polygon; None without one."""
    boxes = [r["bbox"] for r in descriptor.get("resources") or []
             if isinstance(r, Mapping) and is_box(r.get("bbox"))]
    if not boxes:
        return None
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return (f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, "
            f"{west} {south}))")


def is_box(value: Any) -> bool:
    """[min lon, min lat, max lon, max lat]: four numbers, west of east, south of north."""
    return (isinstance(value, list) and len(value) == 4
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            and value[0] <= value[2] and value[1] <= value[3])


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _agent(value: Any) -> Agent | None:
    """An agent from {name, uri, email} (or just its name)."""
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, Mapping) or not value.get("name"):
        return None
    return Agent(name=str(value["name"]), uri=_str_or_none(value.get("uri")),
                 email=_str_or_none(value.get("email")))


def _period(value: Any) -> Period | None:
    if not isinstance(value, Mapping):
        return None
    start, end = (str(v) if v else None for v in (value.get("start"), value.get("end")))
    return Period(start, end) if start or end else None


def _given(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("path") or value.get("title") or "")
    return str(value)


def _descriptor_licence(descriptor: Mapping[str, Any]) -> Any:
    licences = descriptor.get("licenses") or []
    return licences[0] if licences else None


def _contact(dataset: Mapping[str, Any]) -> Contact | None:
    given = dataset.get("contact") or {}
    email = given.get("email") or dataset.get("contact_email")
    url = given.get("url")
    if not (email or url or given.get("phone")):
        return None
    return Contact(name=str(given.get("name") or dataset["publisher"]), email=email, url=url,
                   phone=given.get("phone"))


def _distributions(uri: str, descriptor: Mapping[str, Any], files: Sequence[StagedFile],
                   urls: Mapping[str, str]) -> list[Distribution]:
    by_path = {str(r.get("path")): r for r in descriptor.get("resources") or []
               if isinstance(r.get("path"), str)}
    out = []
    for f in sorted(files, key=lambda f: (f.path == DESCRIPTOR, f.path)):
        resource = by_path.get(f.path, {})
        fmt = str(resource.get("format") or f.path.rsplit(".", 1)[-1]).lower()
        if f.path == DESCRIPTOR:
            title, description = "Datenpaket-Beschreibung (Frictionless Data Package)", ""
            conforms: str | None = FRICTIONLESS_PROFILE
        else:
            title = str(resource.get("title") or resource.get("name") or f.path)
            description, conforms = str(resource.get("description") or ""), None
        download = urls.get(f.path) or f"{uri}/files/{f.path}"
        out.append(Distribution(
            key=f.path, title=title, format=fmt, sha256=f.sha256, bytes=f.bytes,
            access_url=download, download_url=download, description=description,
            media_type=resource.get("mediatype"), conforms_to=conforms))
    return out
