"""dcatde:contributorID: who delivers the dataset to GovData.

An IRI (DCAT-AP.de 3.0), from the contributor list http://dcat-ap.de/def/contributors
(a warning in the shapes; here checked by the list's namespace, the list itself
being among the official files). GovData's conventions 12 and 13 ask for exactly one
on every dataset delivered to it; the shapes leave that out, so a missing or second
id warns whether the shapes run or not.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.namespace import DCAT

from publisher.metadata import vocab
from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks, is_iri
from publisher.metadata.namespaces import DCATDE
from publisher.report import Finding

CONTRIBUTORS = vocab.CONTRIBUTORS + "/"


@checks.register
class ContributorIdForm(MetadataCheck):
    type = "dcat-ap-de-contributor-id"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for ds in subject.instances(DCAT.Dataset):
            for value in subject.values(ds, DCATDE.contributorID):
                if not is_iri(value):
                    yield self.finding(subject, Level.MANDATORY, ds,
                                       "dcatde:contributorID must be an IRI",
                                       prop=DCATDE.contributorID)
                if not is_iri(value) or not str(value).startswith(CONTRIBUTORS):
                    yield self.finding(subject, Level.RECOMMENDED, ds,
                                       f"dcatde:contributorID <{value}> is not from the "
                                       "DCAT-AP.de contributor list", prop=DCATDE.contributorID)


@checks.register
class ContributorIdForGovData(MetadataCheck):
    type = "dcat-ap-de-contributor-id-needed"
    in_shapes = False

    def check(self, subject: Subject) -> Iterable[Finding]:
        for ds in subject.instances(DCAT.Dataset):
            ids = [v for v in subject.values(ds, DCATDE.contributorID) if isinstance(v, URIRef)]
            if not ids:
                yield self.finding(subject, Level.RECOMMENDED, ds,
                                   "GovData needs dcatde:contributorID (an id from the "
                                   "DCAT-AP.de contributor list, e.g. "
                                   f"{CONTRIBUTORS}freistaatSachsen)",
                                   prop=DCATDE.contributorID)
            elif len(ids) > 1:
                yield self.finding(subject, Level.RECOMMENDED, ds,
                                   "GovData takes exactly one dcatde:contributorID",
                                   prop=DCATDE.contributorID)
