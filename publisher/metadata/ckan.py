"""The dataset record as the fields of the project's CKAN scheming schema
(deploy/ckan/publisher_dataset.yaml): real fields, never `extras`."""

from __future__ import annotations

import re
from typing import Any

from publisher.metadata import vocab
from publisher.metadata.dcat_ap_at import AT_CATEGORIES
from publisher.metadata.model import DatasetMetadata, Distribution

# The fields a publish writes; anything else on the CKAN side is left alone.
DATASET_FIELDS = (
    "title", "notes", "tags", "license_id", "license_attribution_by_text", "theme",
    "contact", "contact_email", "publisher", "frequency", "language",
    "applicable_legislation", "contributor_id", "political_geocoding_uri",
    "political_geocoding_level_uri", "legal_basis", "categorization", "geographic_toponym",
)
# Written only when the record has them (harvested records mostly), so a CKAN
# whose schema predates them still takes the publisher's own datasets.
OPTIONAL_FIELDS = ("temporal_start", "temporal_end", "author", "author_email", "maintainer",
                   "maintainer_email", "geographic_bbox", "spatial_coverage")
RESOURCE_FIELDS = ("name", "description", "format", "mimetype", "license",
                   "license_attribution_by_text", "checksum", "hash", "size")


def _tag(keyword: str) -> str:
    # CKAN tags: letters, digits, space, - _ . ; 2..100 characters
    return re.sub(r"[^\w .-]", "-", keyword).strip()[:100]


def dataset_fields(meta: DatasetMetadata, license_id: str | None) -> dict[str, Any]:
    """Scheming field values for the dataset (without name, owner_org, resources)."""
    fields: dict[str, Any] = {
        "title": meta.title,
        "notes": meta.description,
        "tags": [{"name": t} for t in sorted({_tag(k) for k in meta.keywords}) if len(t) >= 2],
        "license_id": license_id or "",
        "license_attribution_by_text": meta.attribution or "",
        "theme": [vocab.theme_uri(t) for t in meta.themes],
        "contact": ([{"name": meta.contact.name, "email": meta.contact.email or "",
                      "uri": meta.contact.url or ""}] if meta.contact else []),
        "contact_email": (meta.contact.email if meta.contact and meta.contact.email else ""),
        "publisher": [{"name": meta.publisher, "uri": meta.publisher_uri or "",
                       "email": "", "url": "", "type": ""}],
        "frequency": vocab.frequency_uri(meta.frequency) if meta.frequency else "",
        "language": [vocab.language_uri(lang) for lang in meta.languages],
        "applicable_legislation": list(meta.applicable_legislation),
        "contributor_id": ([vocab.contributor_uri(meta.contributor_id)]
                           if meta.contributor_id else []),
        "political_geocoding_uri": [meta.geocoding[0]] if meta.geocoding else [],
        "political_geocoding_level_uri": meta.geocoding[1] if meta.geocoding else "",
        "legal_basis": meta.legal_basis or "",
        "categorization": sorted({AT_CATEGORIES[t] for t in meta.themes if t in AT_CATEGORIES}),
        "geographic_toponym": meta.place or "",
    }
    optional: dict[str, Any] = {
        "temporal_start": (meta.temporal.start or "") if meta.temporal else "",
        "temporal_end": (meta.temporal.end or "") if meta.temporal else "",
        # CKAN's author is DCAT-AP.de's originator (as in ckanext-dcatde)
        "author": meta.originator.name if meta.originator else "",
        "author_email": (meta.originator.email or "") if meta.originator else "",
        "maintainer": meta.maintainer.name if meta.maintainer else "",
        "maintainer_email": (meta.maintainer.email or "") if meta.maintainer else "",
        "geographic_bbox": meta.bbox if meta.bbox and not _is_json(meta.bbox) else "",
        "spatial_coverage": ([{"uri": "", "text": meta.place or "", "geom": meta.geometry or "",
                               "bbox": meta.bbox or "", "centroid": ""}]
                             if meta.geometry or meta.bbox else []),
    }
    fields.update({k: v for k, v in optional.items() if v})
    return fields


def _is_json(value: str) -> bool:
    return value.lstrip().startswith("{")


def resource_fields(meta: DatasetMetadata, dist: Distribution) -> dict[str, Any]:
    """Scheming field values for one resource (without url and the stable key)."""
    code = (dist.file_type_uri or "").rsplit("/", 1)[-1] or dist.format.upper()
    return {
        "name": dist.title,
        "description": dist.description,
        "format": code,
        "mimetype": (dist.media_type_uri or "").removeprefix(vocab.IANA_MEDIA),
        "license": meta.licence.uri if meta.licence and meta.licence.uri else "",
        "license_attribution_by_text": meta.attribution or "",
        "checksum": dist.sha256,
        "hash": f"sha256:{dist.sha256}",
        "size": dist.bytes,
    }
