"""Contact points (vcard:Kind and its subclasses).

DCAT-AP.de 3.0: at least one of vcard:hasEmail, vcard:hasURL, vcard:hasTelephone,
each an IRI (mailto:, http(s):, tel:); at most one vcard:fn, a literal. GovData's
convention 1 asks for an e-mail address or a URL (a telephone number alone is not
enough).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.namespace import DCAT

from publisher.metadata.checks.base import (
    Level,
    MetadataCheck,
    Subject,
    checks,
    curie,
    is_iri,
    is_literal,
)
from publisher.metadata.namespaces import VCARD
from publisher.report import Finding

KINDS = (VCARD.Kind, VCARD.Individual, VCARD.Organization, VCARD.Group, VCARD.Location)
REACH = (VCARD.hasEmail, VCARD.hasURL, VCARD.hasTelephone)


@checks.register
class ContactPointMandatory(MetadataCheck):
    type = "dcat-ap-de-contact-point"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for node in subject.instances(*KINDS):
            if not any(subject.values(node, prop) for prop in REACH):
                yield self.finding(subject, Level.MANDATORY, node,
                                   "a contact point needs an e-mail address, a URL or a "
                                   "telephone number", prop=DCAT.contactPoint)
            for prop in REACH:
                if not all(is_iri(v) for v in subject.values(node, prop)):
                    yield self.finding(subject, Level.MANDATORY, node,
                                       f"{curie(prop)} must be an IRI (mailto:, https:, tel:)",
                                       prop=prop)
            names = subject.values(node, VCARD.fn)
            if len(names) > 1 or not all(is_literal(v) for v in names):
                yield self.finding(subject, Level.MANDATORY, node,
                                   "a contact point has at most one vcard:fn, a literal",
                                   prop=VCARD.fn)

@checks.register
class ContactPointForGovData(MetadataCheck):
    type = "dcat-ap-de-contact-point-govdata"
    in_shapes = False

    def check(self, subject: Subject) -> Iterable[Finding]:
        for node in subject.instances(*KINDS):
            if (subject.values(node, VCARD.hasTelephone)
                    and not subject.values(node, VCARD.hasEmail)
                    and not subject.values(node, VCARD.hasURL)):
                yield self.finding(subject, Level.RECOMMENDED, node,
                                   "GovData asks for a contact e-mail address or URL, not "
                                   "only a telephone number", prop=DCAT.contactPoint)
