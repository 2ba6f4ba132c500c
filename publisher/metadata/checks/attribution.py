"""Attribution text (dcatde:licenseAttributionByText): a literal (DCAT-AP.de 3.0),
and present where the licence asks for attribution (GovData's convention; DL-DE
BY 2.0 and CC BY ask for a source note, RULES.md section 4)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.namespace import DCAT, DCTERMS

from publisher.licences import normalise
from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks, is_literal
from publisher.metadata.namespaces import DCATDE
from publisher.report import Finding


@checks.register
class AttributionIsText(MetadataCheck):
    type = "dcat-ap-de-attribution"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for dist in subject.instances(DCAT.Distribution):
            if not all(is_literal(v) for v in
                       subject.values(dist, DCATDE.licenseAttributionByText)):
                yield self.finding(subject, Level.MANDATORY, dist,
                                   "dcatde:licenseAttributionByText must be a literal",
                                   prop=DCATDE.licenseAttributionByText)


@checks.register
class AttributionWhereAsked(MetadataCheck):
    type = "dcat-ap-de-attribution-needed"
    in_shapes = False

    def check(self, subject: Subject) -> Iterable[Finding]:
        for dist in subject.instances(DCAT.Distribution):
            if subject.values(dist, DCATDE.licenseAttributionByText):
                continue
            for licence in subject.values(dist, DCTERMS.license):
                known = normalise(str(licence))
                if known is not None and known.kind in ("attribution", "share-alike"):
                    yield self.finding(subject, Level.RECOMMENDED, dist,
                                       f"the licence '{known.id}' asks for attribution: "
                                       "dcatde:licenseAttributionByText is missing",
                                       field="dataset.attribution")
                    break
