"""Check a graph against the official DCAT-AP 3.0 and DCAT-AP.de 3.0 SHACL shapes.

The shapes and vocabularies are not part of the package: `publisher conformance
fetch` downloads them, pinned, into the conformance directory (the setting
PUBLISHER_CONFORMANCE_DIR, default <home>/conformance). Whether to use them or the
project's own checks is decided in publisher.metadata.conformance. Each violation
names the pipeline field to fill.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Node, URIRef
from rdflib.namespace import RDF, SH

from publisher.conformance.pins import SHAPES, VOCABULARIES
from publisher.errors import InputError

_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
# RDF property -> where the steward fills it (pipeline dataset section / resources).
FIELDS: dict[str, str] = {
    _DCT + "title": "dataset.title",
    _DCT + "description": "dataset.description",
    _DCT + "publisher": "dataset.publisher",
    _DCT + "identifier": "dataset.name",
    _DCAT + "keyword": "dataset.keywords",
    _DCAT + "theme": "dataset.themes",
    _DCAT + "contactPoint": "dataset.contact",
    "http://www.w3.org/2006/vcard/ns#hasEmail": "dataset.contact.email",
    "http://www.w3.org/2006/vcard/ns#fn": "dataset.contact.name",
    _DCT + "license": "dataset.license",
    "http://dcat-ap.de/def/dcatde/licenseAttributionByText": "dataset.attribution",
    "http://dcat-ap.de/def/dcatde/contributorID": "dataset.contributor_id",
    "http://dcat-ap.de/def/dcatde/politicalGeocodingLevelURI": "dataset.municipality_key",
    _DCT + "spatial": "dataset.municipality_key",
    _DCT + "accrualPeriodicity": "dataset.frequency",
    _DCT + "language": "dataset.languages",
    _DCAT + "landingPage": "dataset.landing_page",
    _DCAT + "accessURL": "resources[].url",
    _DCAT + "downloadURL": "resources[].url",
    _DCT + "format": "resources[].format",
    _DCAT + "mediaType": "resources[].mediatype",
    _DCAT + "byteSize": "resources[].bytes",
    _DCAT + "distribution": "resources",
    _DCT + "temporal": "dataset.temporal",
    "http://data.europa.eu/930/originator": "dataset.originator",
    "http://data.europa.eu/930/custodian": "dataset.maintainer",
    "http://data.europa.eu/r5r/applicableLegislation": "dataset.applicable_legislation",
    "http://www.w3.org/2006/vcard/ns#hasURL": "dataset.contact.url",
    "http://www.w3.org/2006/vcard/ns#hasTelephone": "dataset.contact.phone",
    "http://spdx.org/rdf/terms#checksum": "resources[].checksum",
    "http://spdx.org/rdf/terms#algorithm": "resources[].checksum",
    "http://spdx.org/rdf/terms#checksumValue": "resources[].checksum",
}


@dataclass(frozen=True)
class Violation:
    field: str  # where to fix it, e.g. dataset.contact
    path: str  # the RDF property
    focus: str  # the node that fails
    message: str
    severity: str  # Violation | Warning | Info

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def conformance_dir() -> Path:
    """The configured conformance directory (PUBLISHER_CONFORMANCE_DIR, else
    <home>/conformance)."""
    from publisher.settings import load_settings

    return load_settings().conformance_path


def _files(directory: Path) -> list[Path]:
    return [directory / "shapes" / name for name in SHAPES] + [
        directory / name for name in VOCABULARIES]


def _load(directory: Path) -> tuple[Graph, Graph]:
    try:
        stamp = tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in _files(directory))
    except OSError as exc:
        raise _unreadable(directory, exc) from None
    return _parse(directory, stamp)


@cache
def _parse(directory: Path, stamp: tuple[tuple[int, int], ...]) -> tuple[Graph, Graph]:
    """Parsed once per directory and file state (a fetch replaces the files)."""
    shapes, vocabularies = Graph(), Graph()
    files = _files(directory)
    try:
        for path in files[:len(SHAPES)]:
            shapes.parse(path)
        for path in files[len(SHAPES):]:
            vocabularies.parse(path)
    except (OSError, ValueError) as exc:
        raise _unreadable(directory, exc) from None
    return shapes, vocabularies


def _unreadable(directory: Path, exc: Exception) -> InputError:
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return InputError(f"cannot read the DCAT-AP.de SHACL shapes ({reason})",
                      where=str(directory),
                      hint="run `publisher conformance fetch`, or set "
                           "PUBLISHER_CONFORMANCE_DIR to a directory holding them "
                           "(shapes/ and vocabularies/)")


def shacl_check(graph: Graph, *, include_warnings: bool = False,
                directory: Path | None = None) -> list[Violation]:
    """Violations (and warnings, if asked) of the official DCAT-AP.de 3.0 shapes."""
    import pyshacl

    shapes, vocabularies = _load((directory or conformance_dir()).resolve())
    _, report, _ = pyshacl.validate(_with_concepts(graph, vocabularies), shacl_graph=shapes,
                                    ont_graph=vocabularies,
                                    inference="rdfs", allow_warnings=True)
    assert isinstance(report, Graph)
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = _local(report.value(result, SH.resultSeverity))
        if severity != "Violation" and not include_warnings:
            continue
        path = _field_path(shapes, report.value(result, SH.sourceShape),
                           report.value(result, SH.resultPath))
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        path_text = str(path) if isinstance(path, URIRef) else ""
        out.append(Violation(
            field=FIELDS.get(path_text, path_text or "dataset"), path=path_text,
            focus=str(report.value(result, SH.focusNode)),
            message=messages[0] if messages else "does not match the shape",
            severity=severity))
    return sorted(set(out), key=lambda v: (v.severity, v.field, v.focus, v.message))


def _with_concepts(graph: Graph, vocabularies: Graph) -> Graph:
    """The data plus the vocabulary entries (licences, contributors) it refers to,
    as the GovData validator's owl:imports would bring them; pyshacl's ontology
    mix-in only carries class and property axioms, not these concepts."""
    data = Graph()
    data += graph
    for node in set(graph.objects()):
        if isinstance(node, URIRef):
            for p, o in vocabularies.predicate_objects(node):
                data.add((node, p, o))
    return data


def _field_path(shapes: Graph, source: Node | None, path: Node | None) -> Node | None:
    """The property a steward fills: for a nested check (say skos:inScheme of a
    dct:format value) the path of the enclosing property shape."""
    if source is None:
        return path
    for parent in shapes.subjects(SH.property, source):
        outer = shapes.value(parent, SH.path)
        if isinstance(outer, URIRef):
            return outer
    return path


def _local(node: Node | None) -> str:
    text = str(node or "")
    return text.rsplit("#", 1)[-1]


def violations_as_dicts(violations: list[Violation]) -> list[dict[str, Any]]:
    return [v.to_dict() for v in violations]
