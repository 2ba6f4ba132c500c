"""The published datapackage.json is built, not copied from the raw package.

Package properties come from the pipeline's `dataset:` block: name, title,
description, keywords, licences (the Frictionless form: `name` the Open
Definition id, `path` the licence address, the SPDX id beside it, from the
licence crosswalk; the source package's licences only when the block names
none), the publisher and the contact (as `contributors`) and the landing page
(`homepage`). A `provenance` section records the pipeline, the policy (name,
files with sha256), every step with its parameters (never a secret value) and
where the audit record lies beside the descriptor. It holds no run id and no
time: the same data published again give the same bytes, so the content hash
and CKAN see that nothing changed; the audit record it links names the run.

The raw package's descriptive texts never reach the output unless
`dataset.carry_over` names them:

    keywords               the source's keywords, after the pipeline's
    contributors           the source's contributors, after publisher and contact
    sources                the source's sources (package and resources)
    resource_titles        resource and schema titles
    resource_descriptions  resource and schema descriptions
    field_titles           field titles
    field_descriptions     field descriptions and examples

`strip_raw_texts` takes resource and field texts out of the working copy
before any step runs, so every text left at the end was written by a step
(the description of `cell_id`, say) or by the pipeline: `dataset.resources`
gives a resource's title and description and its fields' title, description
and unit. Resource properties other than these and what the writer sets
(path, format, schema, geometry, hash ...) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from publisher.errors import SpecError
from publisher.licences import normalise
from publisher.package.model import Package, Resource
from publisher.pipeline.audit import sha256
from publisher.pipeline.spec import FieldTexts, PipelineSpec, ResourceTexts
from publisher.rules.policy import Policy
from publisher.steps.base import Step

# Resource properties kept from the working copy; the writer sets path, format,
# mediatype, encoding, bytes, hash, schema, geometry, layer and bbox itself.
_RESOURCE_KEYS = ("name", "title", "description", "format", "mediatype", "schema", "geometry")
# Step parameters whose value may be a secret: left out of the provenance.
_SECRET = re.compile(r"secret|password|passphrase|token|credential|(^|_)(api_)?key$", re.I)


def strip_raw_texts(package: Package, carry_over: Collection[str]) -> None:
    """Remove the resource, schema and field texts that carry_over does not name."""
    keep = set(carry_over)
    for resource in package.resources:
        schema = resource.schema
        for key, kind in (("title", "resource_titles"), ("description", "resource_descriptions")):
            if kind not in keep:
                resource.descriptor.pop(key, None)
                schema.pop(key, None)
        drop = {k for k, kind in (("title", "field_titles"), ("description",
                                                            "field_descriptions"),
                                  ("example", "field_descriptions")) if kind not in keep}
        for spec in schema.get("fields", []):
            if isinstance(spec, dict):
                for key in drop:
                    spec.pop(key, None)


def build_descriptor(spec: PipelineSpec, source: Package, published: Package, *,
                     policy: Policy, steps: list[Step[Any]], audit: Mapping[str, str]) -> None:
    """Give the published package its built descriptor (the writer adds the files'
    details). `audit` maps the audit record's forms to their staged paths."""
    dataset = spec.dataset
    texts = spec.texts
    carry = texts.carry_over
    out: dict[str, Any] = {"name": str(dataset["name"]), "title": str(dataset["title"]),
                           "description": str(dataset["description"]).strip()}
    keywords = [str(k) for k in dataset.get("keywords") or []]
    if "keywords" in carry:
        keywords += [str(k) for k in source.descriptor.get("keywords") or []]
    if keywords:
        out["keywords"] = list(dict.fromkeys(keywords))
    licences = _licences(dataset.get("license"), source)
    if licences:
        out["licenses"] = licences
    contributors = _contributors(dataset)
    if "contributors" in carry:
        contributors += _dicts(source.descriptor.get("contributors"))
    if contributors:
        out["contributors"] = contributors
    if dataset.get("landing_page"):
        out["homepage"] = str(dataset["landing_page"])
    if "sources" in carry and _dicts(source.descriptor.get("sources")):
        out["sources"] = _dicts(source.descriptor.get("sources"))
    out["provenance"] = {
        "pipeline": spec.name,
        "policy": {"name": policy.name,
                   "files": [{"file": p.name, "sha256": sha256(p)} for p in policy.chain]},
        "steps": [{"type": s.type, "params": _safe(s.params.model_dump(mode="json"))}
                  for s in steps],
        "carried_over": sorted(carry),
        "audit": dict(audit),
    }
    published.descriptor = out
    for resource in published.resources:
        kept = [*_RESOURCE_KEYS, "sources"] if "sources" in carry else _RESOURCE_KEYS
        resource.descriptor = {k: resource.descriptor[k] for k in kept
                               if k in resource.descriptor}
    _apply_texts(texts.resources, published)


def _dicts(value: object) -> list[dict[str, Any]]:
    return [dict(v) for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _licences(given: object, source: Package) -> list[dict[str, Any]]:
    """The pipeline's licence, else the source's, in the Frictionless form."""
    if given:
        text = str(given)
        known = normalise(text)
        if known is not None:
            return [known.frictionless()]
        return [{"path": text} if "://" in text else {"name": text}]
    out: list[dict[str, Any]] = []
    for entry in source.licenses:
        if isinstance(entry, dict):
            known = normalise(entry)
            out.append(known.frictionless() if known else
                       {k: entry[k] for k in ("name", "path", "title", "spdx") if k in entry})
    return out


def _contributors(dataset: Mapping[str, Any]) -> list[dict[str, Any]]:
    publisher: dict[str, Any] = {"title": str(dataset["publisher"]), "roles": ["publisher"]}
    if dataset.get("publisher_uri"):
        publisher["path"] = str(dataset["publisher_uri"])
    out = [publisher]
    given = dataset.get("contact") or {}
    email = given.get("email") or dataset.get("contact_email")
    if email or given.get("url"):
        contact: dict[str, Any] = {"title": str(given.get("name") or dataset["publisher"]),
                                   "roles": ["contact"]}
        if email:
            contact["email"] = str(email)
        if given.get("url"):
            contact["path"] = str(given["url"])
        out.append(contact)
    return out


def _safe(value: Any) -> Any:
    """Step parameters without a value under a key that names a secret."""
    if isinstance(value, dict):  # `*_env` names a variable: a name, kept
        return {k: _safe(v) for k, v in value.items()
                if str(k).endswith("_env") or not _SECRET.search(str(k))}
    if isinstance(value, list):
        return [_safe(v) for v in value]
    return value


def _apply_texts(given: Mapping[str, ResourceTexts], package: Package) -> None:
    """The pipeline's own resource and field texts; a name that is not published
    is an error (a typo must not leave a resource undescribed silently)."""
    by_name = {r.name: r for r in package.resources}
    for name, texts in given.items():
        resource = by_name.get(name)
        if resource is None:
            raise SpecError(f"no published resource named '{name}' (published: "
                            f"{', '.join(by_name) or 'none'})", where=f"dataset.resources.{name}")
        for key in ("title", "description"):
            value = getattr(texts, key)
            if value:
                resource.descriptor[key] = value.strip()
        _apply_field_texts(resource, texts.fields)


def _apply_field_texts(resource: Resource, given: Mapping[str, FieldTexts]) -> None:
    fields = {f.get("name"): f for f in resource.schema.get("fields", []) if isinstance(f, dict)}
    for name, texts in given.items():
        spec = fields.get(name)
        if spec is None:
            raise SpecError(f"resource '{resource.name}' publishes no field '{name}' "
                            f"(fields: {', '.join(str(n) for n in fields)})",
                            where=f"dataset.resources.{resource.name}.fields.{name}")
        spec.update({k: v.strip() for k, v in texts.model_dump().items() if v})
