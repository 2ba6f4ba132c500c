"""Properties and code lists DCAT-AP.de 3.0 deprecates (warnings), after
dcat-ap-de-deprecated.ttl; the writer uses their successors."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL

from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks, curie
from publisher.metadata.namespaces import DCATDE, SPDX
from publisher.report import Finding

ADMS_STATUS = URIRef("http://www.w3.org/ns/adms#status")
# property -> what replaces it
PROPERTIES: dict[URIRef, str] = {
    DCATDE.politicalGeocodingURI: "dct:spatial",
    DCTERMS.hasVersion: "dcat:hasVersion",
    DCTERMS.isVersionOf: "dcat:isVersionOf",
    DCATDE.maintainer: "geodcatap:custodian",
    DCATDE.originator: "geodcatap:originator",
    DCATDE.legalBasis: "dcatap:applicableLegislation",
    DCATDE.qualityProcessURI: "dqv:hasQualityAnnotation",
    DCATDE.geocodingDescription: "dct:spatial with locn:geographicName",
}
# property -> a code list it must no longer point into
CODE_LISTS: dict[URIRef, str] = {SPDX.algorithm: "dcat", ADMS_STATUS: "purl"}


@checks.register
class Deprecated(MetadataCheck):
    type = "dcat-ap-de-deprecated"

    def check(self, subject: Subject) -> Iterable[Finding]:
        g = subject.graph
        for prop, successor in PROPERTIES.items():
            for node in sorted(set(g.subjects(prop, None)), key=str):
                yield self.finding(subject, Level.RECOMMENDED, node,
                                   f"{curie(prop)} is deprecated in DCAT-AP.de 3.0 (use "
                                   f"{successor})", prop=prop)
        for ds in subject.instances(DCAT.Dataset):
            if subject.values(ds, OWL.versionInfo):
                yield self.finding(subject, Level.RECOMMENDED, ds,
                                   "owl:versionInfo is deprecated in DCAT-AP.de 3.0 (use "
                                   "dcat:version)", prop=OWL.versionInfo)
        for prop, marker in CODE_LISTS.items():
            for node, value in sorted(g.subject_objects(prop), key=str):
                if marker in str(value):
                    yield self.finding(subject, Level.RECOMMENDED, node,
                                       f"{curie(prop)} <{value}> is from a deprecated code "
                                       "list", prop=prop)
