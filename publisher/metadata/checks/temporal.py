"""Periods of time (dct:PeriodOfTime): DCAT-AP.de 3.0 asks for at least one of
dcat:startDate, dcat:endDate (recommended), time:hasBeginning, time:hasEnd; DCAT-AP
3.0 for at most one start and end date, literals."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.namespace import DCAT, DCTERMS, TIME

from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks, curie, is_literal
from publisher.report import Finding

ENDS = (DCAT.startDate, DCAT.endDate, TIME.hasBeginning, TIME.hasEnd)


@checks.register
class PeriodOfTime(MetadataCheck):
    type = "dcat-ap-de-period"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for node in subject.instances(DCTERMS.PeriodOfTime):
            if not any(subject.values(node, prop) for prop in ENDS):
                yield self.finding(subject, Level.MANDATORY, node,
                                   "a period of time needs a start or an end date (ISO date, "
                                   "date-time or year)", prop=DCTERMS.temporal)
            for prop in (DCAT.startDate, DCAT.endDate):
                found = subject.values(node, prop)
                if len(found) > 1 or not all(is_literal(v) for v in found):
                    yield self.finding(subject, Level.MANDATORY, node,
                                       f"a period of time has at most one {curie(prop)}, a "
                                       "literal", prop=DCTERMS.temporal)
