"""dcat:Dataset: what DCAT-AP 3.0 and DCAT-AP.de 3.0 ask of every dataset.

Mandatory: dct:title and dct:description (DCAT-AP 3.0), dct:publisher (DCAT-AP.de
3.0), as literals and one publisher at most; at most one accrual periodicity,
issued and modified date. Recommended (DCAT-AP 3.0, DCAT-AP.de): a contact point,
keywords, themes, the area covered (dct:spatial), the period covered
(dct:temporal) and at least one distribution.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS

from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks, curie
from publisher.report import Finding

SINGLE = (DCTERMS.publisher, DCTERMS.accrualPeriodicity, DCTERMS.issued, DCTERMS.modified)
RECOMMENDED: tuple[tuple[URIRef, str, str], ...] = (
    (DCAT.contactPoint, "dataset.contact", "whom to ask about the data"),
    (DCAT.keyword, "dataset.keywords", "keywords"),
    (DCAT.theme, "dataset.themes", "themes (EU data themes)"),
    (DCTERMS.spatial, "dataset.municipality_key",
     "the area covered (a municipality key, or place and geometry)"),
    (DCTERMS.temporal, "dataset.temporal", "the period covered ({start, end})"),
    (DCAT.distribution, "resources", "a distribution"),
)


@checks.register
class DatasetMandatory(MetadataCheck):
    type = "dcat-ap-de-dataset"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for ds in subject.instances(DCAT.Dataset):
            for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
                yield from self.required(subject, ds, "dcat:Dataset", prop,
                                         None if prop == DCTERMS.publisher else "literal")
            yield from self.at_most_one(subject, ds, "dcat:Dataset", *SINGLE)


@checks.register
class DatasetRecommended(MetadataCheck):
    type = "dcat-ap-de-dataset-recommended"
    in_shapes = False

    def check(self, subject: Subject) -> Iterable[Finding]:
        for ds in subject.instances(DCAT.Dataset):
            for prop, field, what in RECOMMENDED:
                if not subject.values(ds, prop):
                    yield self.finding(subject, Level.RECOMMENDED, ds,
                                       f"dcat:Dataset has no {curie(prop)}: {what}",
                                       field=field)
