"""Controlled vocabularies (DCAT-AP.de 3.0): a concept names its scheme with
skos:inScheme, as the shapes check it (the writer adds the scheme to every code it
knows, so an unknown code is named here).

Themes, frequency, languages, file types, access rights, availability and
distribution status must come from the EU Publications Office's tables; the
dataset type should.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, SKOS

from publisher.metadata import vocab
from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks, curie
from publisher.metadata.namespaces import DCATAP
from publisher.report import Finding

ADMS_STATUS = URIRef("http://www.w3.org/ns/adms#status")
DATASET_SERIES = URIRef(str(DCAT) + "DatasetSeries")  # DCAT 3, not in rdflib's DCAT
# (classes, property, scheme, level) after dcat-ap-de-controlledvocabularies.ttl
TABLES: tuple[tuple[tuple[URIRef, ...], URIRef, str, Level], ...] = (
    ((DCAT.Catalog, DCAT.Dataset, DCAT.Distribution, DCAT.CatalogRecord), DCTERMS.language,
     vocab.LANGUAGE, Level.MANDATORY),
    ((DCAT.Dataset,), DCAT.theme, vocab.DATA_THEME, Level.MANDATORY),
    ((DCAT.Dataset, DATASET_SERIES), DCTERMS.accrualPeriodicity, vocab.FREQUENCY,
     Level.MANDATORY),
    ((DCAT.Distribution, DCAT.DataService), DCTERMS.format, vocab.FILE_TYPE, Level.MANDATORY),
    ((DCAT.Dataset, DCAT.DataService), DCTERMS.accessRights, vocab.EU + "access-right",
     Level.MANDATORY),
    ((DCAT.Catalog, DCAT.Dataset, DCAT.Distribution, DCAT.DataService), DCATAP.availability,
     vocab.EU + "planned-availability", Level.MANDATORY),
    ((DCAT.Distribution,), ADMS_STATUS, vocab.EU + "distribution-status", Level.MANDATORY),
    ((DCAT.Dataset,), DCTERMS.type, vocab.EU + "dataset-type", Level.RECOMMENDED),
)


@checks.register
class ControlledVocabularies(MetadataCheck):
    type = "dcat-ap-de-vocabulary"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for classes, prop, scheme, level in TABLES:
            for node in subject.instances(*classes):
                for value in subject.values(node, prop):
                    if (value, SKOS.inScheme, URIRef(scheme)) not in subject.graph:
                        code = str(value).rsplit("/", 1)[-1]
                        yield self.finding(subject, level, node,
                                           f"{curie(prop)} '{code}' is not from the "
                                           f"vocabulary {scheme}", prop=prop)
