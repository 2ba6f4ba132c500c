"""Political geocoding: the area covered as an official key.

DCAT-AP.de 3.0: the geocoding URI goes to dct:spatial (dcatde:politicalGeocodingURI
is deprecated); dcatde:politicalGeocodingLevelURI is an IRI from the level list
(a warning in the shapes). A municipality key in the pipeline that is no official
key is never written, so it is named from the record.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, SKOS

from publisher.metadata import vocab
from publisher.metadata.checks.base import Level, MetadataCheck, Subject, checks, is_iri
from publisher.metadata.namespaces import DCATDE
from publisher.report import Finding

LEVELS = URIRef(vocab.GEOCODING_LEVEL)


@checks.register
class GeocodingLevel(MetadataCheck):
    type = "dcat-ap-de-geocoding"

    def check(self, subject: Subject) -> Iterable[Finding]:
        prop = DCATDE.politicalGeocodingLevelURI
        for ds in subject.instances(DCAT.Dataset):
            for level in subject.values(ds, prop):
                if not is_iri(level):
                    yield self.finding(subject, Level.MANDATORY, ds,
                                       "dcatde:politicalGeocodingLevelURI must be an IRI",
                                       prop=prop)
                elif (level, SKOS.inScheme, LEVELS) not in subject.graph:
                    yield self.finding(subject, Level.RECOMMENDED, ds,
                                       f"the geocoding level <{level}> is not from the "
                                       "DCAT-AP.de level list", prop=prop)


@checks.register
class MunicipalityKey(MetadataCheck):
    type = "dcat-ap-de-municipality-key"
    in_shapes = False

    def check(self, subject: Subject) -> Iterable[Finding]:
        meta = subject.meta
        if meta is None or not meta.municipality_key or meta.geocoding is not None:
            return
        yield self.finding(subject, Level.MANDATORY, URIRef(meta.uri),
                           "a municipality key has 8 digits (AGS) or 12 (ARS); 2, 5 and 9 "
                           "digits name a state, district or association",
                           prop=DCTERMS.spatial)
