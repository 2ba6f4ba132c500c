"""The area covered (dct:spatial) of catalogues and datasets: a dct:Location (a
warning in DCAT-AP.de 3.0, which accepts an IRI from a controlled vocabulary; the
writer types the political geocoding IRI as a dct:Location)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks
from publisher.report import Finding

DATASET_SERIES = URIRef(str(DCAT) + "DatasetSeries")


@checks.register
class SpatialIsALocation(MetadataCheck):
    type = "dcat-ap-de-spatial"

    def check(self, subject: Subject) -> Iterable[Finding]:
        for node in subject.instances(DCAT.Catalog, DCAT.Dataset, DATASET_SERIES):
            for place in subject.values(node, DCTERMS.spatial):
                if (place, RDF.type, DCTERMS.Location) not in subject.graph:
                    yield self.finding(subject, Level.RECOMMENDED, node,
                                       f"dct:spatial <{place}> is not a dct:Location",
                                       prop=DCTERMS.spatial)
