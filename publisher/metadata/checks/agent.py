"""Agents (foaf:Agent and its subclasses): publisher, originator, custodian.

DCAT-AP 3.0: every agent has a foaf:name (a literal) and at most one dct:type.
DCAT-AP.de 3.0: the objects of dct:contributor, geodcatap:originator and
geodcatap:custodian are foaf:Agents, and so are those of dct:creator (DCAT-AP).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, RDF

from publisher.metadata.checks.base import (
    Level,
    MetadataCheck,
    Subject,
    checks,
    curie,
    is_literal,
)
from publisher.metadata.namespaces import GEODCATAP
from publisher.report import Finding

AGENTS = (FOAF.Agent, FOAF.Person, FOAF.Organization, FOAF.Group, ORG.Organization,
          ORG.FormalOrganization, ORG.OrganizationalUnit)
ROLES = (DCTERMS.publisher, GEODCATAP.originator, GEODCATAP.custodian, DCTERMS.contributor,
         DCTERMS.creator)


def _role(subject: Subject, node: object) -> URIRef | None:
    for role in ROLES:
        if any(True for _ in subject.graph.subjects(role, node)):  # type: ignore[arg-type]
            return role
    return None


@checks.register
class AgentMandatory(MetadataCheck):
    type = "dcat-ap-de-agent"

    def check(self, subject: Subject) -> Iterable[Finding]:
        agents = set(subject.instances(*AGENTS))
        for node in sorted(agents, key=str):
            role = _role(subject, node)
            field = subject.field(node, FOAF.name)
            names = subject.values(node, FOAF.name)
            if not names or not all(is_literal(n) for n in names):
                yield self.finding(subject, Level.MANDATORY, node,
                                   f"the agent{f' ({curie(role)})' if role else ''} needs a "
                                   "foaf:name (a literal)", field=field)
            if len(subject.values(node, DCTERMS.type)) > 1:
                yield self.finding(subject, Level.MANDATORY, node,
                                   "an agent has at most one dct:type", field=field)
        for ds in subject.instances(DCAT.Dataset):
            for role in ROLES[1:]:
                for value in subject.values(ds, role):
                    typed = set(subject.graph.objects(value, RDF.type))
                    if isinstance(value, Literal) and role == DCTERMS.creator:
                        yield self.finding(subject, Level.MANDATORY, ds,
                                           f"{curie(role)} must be an IRI or a blank node",
                                           prop=role)
                    if not typed & set(AGENTS):
                        yield self.finding(subject, Level.MANDATORY, ds,
                                           f"{curie(role)} must point at a foaf:Agent",
                                           prop=role)
