"""The metadata texts of a package and its pipeline, each with where it stands
(issue 24, part 2: metadata checked like data).

From the descriptor: the package's title, description, keywords, contributors
(every text of each), publisher, author, maintainer and sources; each
resource's name, title and description, its schema's title and description,
and each field's name, title, description and example; the column names of
the data as read (a header such as "anna.meier@example.de" in a schema-less
CSV). From the pipeline's `dataset:` block (Package.dataset, set by a run):
every text in it, at any depth (title, description, keywords, publisher,
contact, contributors, resources and fields ...), but `carry_over`, whose
values are fixed words. In a run the package-level texts of the source are
checked only where `carry_over` brings them into the published descriptor
(keywords, contributors, sources); its title and description never reach it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from publisher.package.batches import text_columns
from publisher.package.model import Package, Resource

_PACKAGE_KEYS = ("title", "description", "keywords", "contributors", "publisher", "author",
                 "maintainer", "sources")
_RESOURCE_KEYS = ("title", "description", "sources")
_FIELD_KEYS = ("title", "description", "example")
_SKIP_DATASET = frozenset({"carry_over"})


@dataclass(frozen=True)
class MetaText:
    where: str  # for a message: "the package's contributors[0].email"
    path: str  # the key path: "contributors[0].email", "dataset.contact.email"
    text: str
    resource: str | None = None
    field: str | None = None


def metadata_texts(package: Package) -> list[MetaText]:
    out: list[MetaText] = []
    for key in _package_keys(package):
        out += _texts(package.descriptor.get(key), key, "the package's ")
    for resource in package.resources:
        out += _resource_texts(resource)
    dataset = {k: v for k, v in package.dataset.items() if k not in _SKIP_DATASET}
    out += _texts(dataset, "dataset", "the pipeline's ")
    return out


def _package_keys(package: Package) -> tuple[str, ...]:
    """All of them; in a run, those the built descriptor carries over from the source
    (publisher.pipeline.descriptor: the pipeline's own texts take the others' place)."""
    if not package.dataset:
        return _PACKAGE_KEYS
    carry = package.dataset.get("carry_over") or []
    return tuple(k for k in ("keywords", "contributors", "sources") if k in carry)


def _resource_texts(resource: Resource) -> Iterator[MetaText]:
    name = resource.name
    own = f"resource '{name}': "
    yield MetaText(f"{own}its name", "name", name, name)
    for key in _RESOURCE_KEYS:
        yield from _texts(resource.descriptor.get(key), key, own, resource=name)
    schema = resource.schema
    for key in ("title", "description"):
        yield from _texts(schema.get(key), f"schema.{key}", own, resource=name)
    seen: set[str] = set()
    for spec in schema.get("fields", []):
        if not isinstance(spec, dict):
            continue
        field = str(spec.get("name", ""))
        seen.add(field)
        yield MetaText(f"{own}a field name", "schema.fields.name", field, name, field)
        for key in _FIELD_KEYS:
            yield from _texts(spec.get(key), key, f"{own}field {key} ", resource=name,
                              field=field, label=False)
    for column in text_columns(resource):
        if column not in seen:
            yield MetaText(f"{own}a column name", "columns", column, name, column)


def _texts(value: Any, path: str, prefix: str, *, resource: str | None = None,
           field: str | None = None, label: bool = True) -> Iterator[MetaText]:
    """Every text in a (nested) value, with its key path."""
    if isinstance(value, str):
        if value.strip():
            yield MetaText(f"{prefix}{path}" if label else prefix.rstrip(), path, value,
                           resource, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}", prefix, resource=resource, field=field,
                              label=label)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _texts(item, f"{path}[{number}]", prefix, resource=resource,
                              field=field, label=label)
