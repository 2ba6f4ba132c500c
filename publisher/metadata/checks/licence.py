"""Licences: from the DCAT-AP.de licence list (http://dcat-ap.de/def/licenses).

In the shapes a licence outside the list is a warning (DCAT-AP.de 3.0 controlled
vocabularies: SOLL); here it is one when the IRI is not under the list's namespace
(the list itself is among the official files, not in the package). GovData's
convention 31 asks every distribution for a licence from the list: a licence the
crosswalk cannot name there is never written as dct:license, so the record's own
licence is named too, as what blocks.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS

from publisher.metadata import vocab
from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks
from publisher.report import Finding

LICENCES = vocab.LICENCES + "/"


@checks.register
class LicenceFromTheList(MetadataCheck):
    type = "dcat-ap-de-licence"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for node in subject.instances(DCAT.Distribution, DCAT.Catalog, DCAT.DataService):
            for licence in subject.values(node, DCTERMS.license):
                if isinstance(licence, URIRef) and not str(licence).startswith(LICENCES):
                    yield self.finding(subject, Level.RECOMMENDED, node,
                                       f"the licence <{licence}> is not from the DCAT-AP.de "
                                       "licence list", prop=DCTERMS.license)


@checks.register
class LicenceOfTheRecord(MetadataCheck):
    type = "dcat-ap-de-licence-given"
    in_shapes = False

    def check(self, subject: Subject) -> Iterable[Finding]:
        meta = subject.meta
        if meta is None or (meta.licence is not None and meta.licence.uri is not None):
            return
        given = meta.licence.id if meta.licence else meta.licence_given
        node = URIRef(meta.uri)
        if given:
            message = (f"the licence '{given}' has no DCAT-AP.de URI: every distribution "
                       "needs a licence from the DCAT-AP.de list")
        else:
            message = ("the dataset names no licence: every distribution needs a licence "
                       "from the DCAT-AP.de list")
        yield self.finding(subject, Level.MANDATORY, node, message, field="dataset.license")
