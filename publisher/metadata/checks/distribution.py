"""dcat:Distribution: what DCAT-AP 3.0 and DCAT-AP.de 3.0 ask of every file offered.

Mandatory: dcat:accessURL (DCAT-AP 3.0) and dct:license (DCAT-AP.de 3.0), IRIs; at
most one licence, format, media type, byte size and checksum; the byte size an
xsd:nonNegativeInteger literal; the media type an IANA media type (DCAT-AP.de
controlled vocabularies). Recommended: a title and a format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib.namespace import DCAT, DCTERMS, XSD

from publisher.metadata.checks.base import (
    Level,
    MetadataCheck,
    Subject,
    checks,
    is_literal,
)
from publisher.metadata.namespaces import SPDX
from publisher.report import Finding

IANA = re.compile(r"^https?://www\.iana\.org/assignments/media-types/")
SINGLE = (DCTERMS.license, DCTERMS.format, DCAT.mediaType, DCAT.byteSize, SPDX.checksum)


@checks.register
class DistributionMandatory(MetadataCheck):
    type = "dcat-ap-de-distribution"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for dist in subject.instances(DCAT.Distribution):
            for prop in (DCAT.accessURL, DCTERMS.license):
                yield from self.required(subject, dist, "dcat:Distribution", prop, "IRI")
            yield from self.at_most_one(subject, dist, "dcat:Distribution", *SINGLE)
            for size in subject.values(dist, DCAT.byteSize):
                if not (is_literal(size) and getattr(size, "datatype", None) ==
                        XSD.nonNegativeInteger):
                    yield self.finding(subject, Level.MANDATORY, dist,
                                       "dcat:byteSize must be an xsd:nonNegativeInteger",
                                       prop=DCAT.byteSize)
            for media in subject.values(dist, DCAT.mediaType):
                if not IANA.match(str(media)):
                    yield self.finding(subject, Level.MANDATORY, dist,
                                       "dcat:mediaType must be an IANA media type "
                                       "(https://www.iana.org/assignments/media-types/...)",
                                       prop=DCAT.mediaType)


@checks.register
class DistributionRecommended(MetadataCheck):
    type = "dcat-ap-de-distribution-recommended"
    in_shapes = False

    def check(self, subject: Subject) -> Iterable[Finding]:
        for dist in subject.instances(DCAT.Distribution):
            if not subject.values(dist, DCTERMS.title):
                yield self.finding(subject, Level.RECOMMENDED, dist,
                                   "dcat:Distribution has no dct:title",
                                   field="resources[].title")
            if not subject.values(dist, DCTERMS.format):
                yield self.finding(subject, Level.RECOMMENDED, dist,
                                   "dcat:Distribution has no dct:format (its file type has "
                                   "no EU file-type code)", prop=DCTERMS.format)
