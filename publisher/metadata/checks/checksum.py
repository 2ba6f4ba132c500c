"""Checksums (spdx:Checksum, DCAT-AP 3.0): exactly one spdx:algorithm, typed
spdx:ChecksumAlgorithm (a warning in DCAT-AP.de), and exactly one
spdx:checksumValue, an xsd:hexBinary literal."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.namespace import RDF, XSD

from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks
from publisher.metadata.namespaces import SPDX
from publisher.report import Finding

FIELD = "resources[].checksum"


@checks.register
class Checksum(MetadataCheck):
    type = "dcat-ap-de-checksum"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for node in subject.instances(SPDX.Checksum):
            algorithms = subject.values(node, SPDX.algorithm)
            digests = subject.values(node, SPDX.checksumValue)
            if len(algorithms) != 1:
                yield self.finding(subject, Level.MANDATORY, node,
                                   "a checksum needs exactly one spdx:algorithm", field=FIELD)
            if len(digests) != 1 or any(getattr(d, "datatype", None) != XSD.hexBinary
                                        for d in digests):
                yield self.finding(subject, Level.MANDATORY, node,
                                   "a checksum needs exactly one spdx:checksumValue, an "
                                   "xsd:hexBinary literal", field=FIELD)
            for algorithm in algorithms:
                if (algorithm, RDF.type, SPDX.ChecksumAlgorithm) not in subject.graph:
                    yield self.finding(subject, Level.RECOMMENDED, node,
                                       "the checksum algorithm should be an "
                                       "spdx:ChecksumAlgorithm", field=FIELD)
