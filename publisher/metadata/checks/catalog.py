"""dcat:Catalog (DCAT-AP 3.0): a title, a description and exactly one publisher; the
catalogues it names as parts are dcat:Catalogs, and it is part of one at most
(DCAT-AP.de 3.0; that one should be a dcat:Catalog too)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.namespace import DCAT, DCTERMS, RDF

from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks, curie
from publisher.report import Finding


@checks.register
class CatalogMandatory(MetadataCheck):
    type = "dcat-ap-de-catalog"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for node in subject.instances(DCAT.Catalog):
            for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
                yield from self.required(subject, node, "dcat:Catalog", prop)
            yield from self.at_most_one(subject, node, "dcat:Catalog", DCTERMS.publisher)
            parents = subject.values(node, DCTERMS.isPartOf)
            if len(parents) > 1:
                yield self.finding(subject, Level.MANDATORY, node,
                                   "dcat:Catalog is part of more than one catalogue",
                                   prop=DCTERMS.isPartOf)
            for prop, level in ((DCTERMS.hasPart, Level.MANDATORY),
                                (DCTERMS.isPartOf, Level.RECOMMENDED)):
                for other in subject.values(node, prop):
                    if (other, RDF.type, DCAT.Catalog) not in subject.graph:
                        yield self.finding(subject, level, node,
                                           f"{curie(prop)} must point at a dcat:Catalog",
                                           prop=prop)
