"""dcat:Catalog (DCAT-AP 3.0): a title, a description and exactly one publisher."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.namespace import DCAT, DCTERMS

from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks, curie
from publisher.report import Finding

FIELD = "catalog"  # the catalogue's title and publisher are settings, not pipeline fields


@checks.register
class CatalogMandatory(MetadataCheck):
    type = "dcat-ap-de-catalog"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for node in subject.instances(DCAT.Catalog):
            for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
                if not subject.values(node, prop):
                    yield self.finding(subject, Level.MANDATORY, node,
                                       f"dcat:Catalog needs {curie(prop)}", field=FIELD)
            if len(subject.values(node, DCTERMS.publisher)) > 1:
                yield self.finding(subject, Level.MANDATORY, node,
                                   "dcat:Catalog has more than one dct:publisher", field=FIELD)
