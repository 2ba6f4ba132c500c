"""The interface of the own DCAT-AP.de checks: one class per check, registered by
its `type` id; a check reads a Subject (the graph, and the record it was written
from when there is one) and yields findings.

A finding's severity follows the property's obligation: a mandatory property
missing (or malformed) blocks, a recommended one warns. `in_shapes` says whether
the official shapes make the same check; such checks run only when the shapes are
not there, the others (recommended properties, GovData's delivery conventions)
always.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from publisher.metadata.model import DatasetMetadata
from publisher.metadata.shacl import FIELDS
from publisher.registry import Registry
from publisher.report import Finding, Severity

PREFIXES = {
    "http://www.w3.org/ns/dcat#": "dcat:", "http://purl.org/dc/terms/": "dct:",
    "http://dcat-ap.de/def/dcatde/": "dcatde:", "http://data.europa.eu/r5r/": "dcatap:",
    "http://xmlns.com/foaf/0.1/": "foaf:", "http://www.w3.org/2006/vcard/ns#": "vcard:",
    "http://spdx.org/rdf/terms#": "spdx:", "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/adms#": "adms:", "http://data.europa.eu/930/": "geodcatap:",
    "http://www.w3.org/2006/time#": "time:", "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/ns/prov#": "prov:",
}


CATALOG = URIRef("http://www.w3.org/ns/dcat#Catalog")


class Level(StrEnum):
    MANDATORY = "mandatory"
    RECOMMENDED = "recommended"

    @property
    def severity(self) -> Severity:
        return Severity.BLOCK if self is Level.MANDATORY else Severity.WARN


@dataclass(frozen=True)
class Subject:
    """What is checked: a DCAT-AP.de graph, and the dataset record it was written
    from (None for a graph read from elsewhere, such as a handover bundle)."""
    graph: Graph
    meta: DatasetMetadata | None = None

    def instances(self, *classes: URIRef) -> list[Node]:
        """Nodes typed with one of the classes (no inference: the subclasses a
        check targets are listed by the check), in a stable order."""
        found = {n for c in classes for n in self.graph.subjects(RDF.type, c)}
        return sorted(found, key=str)

    def values(self, node: Node, prop: URIRef) -> list[Node]:
        return sorted(self.graph.objects(node, prop), key=str)

    def field(self, node: Node, prop: Node | None) -> str:
        """The pipeline field behind a property of a node: the property's own, else
        that of the property pointing at the node (a contact point's vcard:fn is part
        of dataset.contact), else the property itself."""
        if (node, RDF.type, CATALOG) in self.graph:
            return "catalog"  # its title and publisher are settings, not pipeline fields
        if prop is not None and str(prop) in FIELDS:
            return FIELDS[str(prop)]
        for incoming in sorted(self.graph.predicates(None, node), key=str):
            if str(incoming) in FIELDS:
                return FIELDS[str(incoming)]
        return curie(prop) if prop is not None else "dataset"

    def label(self, node: Node) -> str | None:
        """Where a finding is: a distribution by its staged path, the dataset itself
        by nothing (the record is the dataset); in a graph from elsewhere, the node's
        IRI, or the IRI of the node that points at a blank node."""
        text = str(node)
        if self.meta is not None:
            prefix = f"{self.meta.uri}/distribution/"
            return text.removeprefix(prefix) if text.startswith(prefix) else None
        if isinstance(node, BNode):
            owner = next(iter(self.graph.subjects(None, node)), None)
            return str(owner) if isinstance(owner, URIRef) else None
        return text


def curie(uri: Node) -> str:
    text = str(uri)
    for base, prefix in PREFIXES.items():
        if text.startswith(base):
            return prefix + text[len(base):]
    return f"<{text}>"


def is_iri(node: Node) -> bool:
    return isinstance(node, URIRef)


def is_literal(node: Node) -> bool:
    return isinstance(node, Literal)


def hint_for(field: str) -> str:
    if field.startswith("resources"):
        return "comes from the package's resources; check their format and path"
    if field == "dataset":
        return "check the pipeline's dataset section"
    return f"set {field} in the pipeline's dataset section"


class MetadataCheck(ABC):
    type: ClassVar[str]
    in_shapes: ClassVar[bool] = True  # the official shapes make this check too

    @abstractmethod
    def check(self, subject: Subject) -> Iterable[Finding]:
        """Yield findings about the subject."""

    def finding(self, subject: Subject, level: Level, node: Node, message: str, *,
                prop: URIRef | None = None, field: str | None = None) -> Finding:
        where = field or subject.field(node, prop)
        return Finding(type=self.type, rule=self.type, severity=level.severity,
                       message=f"{level}: {message}", field=where,
                       resource=subject.label(node), hint=hint_for(where))

    def required(self, subject: Subject, node: Node, kind: str, prop: URIRef,
                 form: str | None = None) -> Iterator[Finding]:
        """A mandatory property: present, and (form "IRI" or "literal") of that form."""
        found = subject.values(node, prop)
        test = {"IRI": is_iri, "literal": is_literal}.get(form or "")
        if not found:
            yield self.finding(subject, Level.MANDATORY, node, f"{kind} needs {curie(prop)}",
                               prop=prop)
        elif test is not None and not all(test(v) for v in found):
            yield self.finding(subject, Level.MANDATORY, node,
                               f"{kind} {curie(prop)} must be a{'n' if form == 'IRI' else ''} "
                               f"{form}", prop=prop)

    def at_most_one(self, subject: Subject, node: Node, kind: str,
                    *props: URIRef) -> Iterator[Finding]:
        for prop in props:
            if len(subject.values(node, prop)) > 1:
                yield self.finding(subject, Level.MANDATORY, node,
                                   f"{kind} has more than one {curie(prop)}", prop=prop)


checks: Registry[type[MetadataCheck]] = Registry("metadata check", "publisher.metadata.checks")
