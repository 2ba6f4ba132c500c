"""What the vocabularies say of the values a served description names,
written beside it when the catalogue serves it: the class a property's range
gives its value (a publisher is a foaf:Agent, a licence a dct:LicenseDocument),
for a known EU concept its concept scheme, for a DCAT-AP.de licence its title.
These follow from the vocabularies, not from the source, so they are no change
to it; they let the official shapes check the graph without fetching the EU
authority tables (as publisher.metadata.dcat_ap_de does for our own datasets),
and a harvester find the licence in its register.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from publisher.harvest import authority
from publisher.harvest.normalise import ADMS_IDENTIFIER, ADMS_IDENTIFIER_CLASS
from publisher.licences import normalise as licence_of
from publisher.metadata import vocab
from publisher.metadata.namespaces import DCATAP, DCATDE, ELI, GEODCATAP, SPDX, VCARD

_AGENT = (DCTERMS.publisher, DCTERMS.creator, DCTERMS.rightsHolder, GEODCATAP.originator,
          GEODCATAP.custodian, GEODCATAP.distributor, GEODCATAP.processor,
          GEODCATAP.principalInvestigator, GEODCATAP.resourceProvider, GEODCATAP.user)
RANGES: dict[URIRef, tuple[URIRef, ...]] = {
    **{p: (FOAF.Agent,) for p in _AGENT},
    DCAT.contactPoint: (VCARD.Kind,),
    DCAT.distribution: (DCAT.Distribution,),
    DCTERMS.temporal: (DCTERMS.PeriodOfTime,),
    DCTERMS.spatial: (DCTERMS.Location,),
    DCTERMS.license: (DCTERMS.LicenseDocument,),
    DCTERMS.format: (DCTERMS.MediaTypeOrExtent,),
    DCAT.mediaType: (DCTERMS.MediaType,),
    DCAT.compressFormat: (DCTERMS.MediaType,),
    DCAT.packageFormat: (DCTERMS.MediaType,),
    DCTERMS.conformsTo: (DCTERMS.Standard,),
    DCTERMS.language: (DCTERMS.LinguisticSystem,),
    DCTERMS.accrualPeriodicity: (DCTERMS.Frequency,),
    DCTERMS.rights: (DCTERMS.RightsStatement,),
    DCTERMS.accessRights: (DCTERMS.RightsStatement,),
    DCTERMS.provenance: (DCTERMS.ProvenanceStatement,),
    DCAT.theme: (SKOS.Concept,),
    DCAT.accessService: (DCAT.DataService,),
    FOAF.page: (FOAF.Document,),
    SPDX.checksum: (SPDX.Checksum,),
    SPDX.algorithm: (SPDX.ChecksumAlgorithm,),
    DCATAP.applicableLegislation: (ELI.LegalResource,),
    ADMS_IDENTIFIER: (ADMS_IDENTIFIER_CLASS,),
    DCATDE.politicalGeocodingLevelURI: (SKOS.Concept,),
}
_LEVELS = frozenset({"federal", "state", "administrativeDistrict", "municipality",
                     "municipalAssociation"})


def add_licence_titles(g: Graph) -> None:
    """The title of each licence G names that the licence list knows (its DCAT-AP.de
    vocabulary title): what a harvester matches against its own licence register
    when the address differs (ckanext-dcat compares the licence's address, then
    its dct:title)."""
    for licence in set(g.objects(None, DCTERMS.license)):
        if isinstance(licence, URIRef) and (g.value(licence, DCTERMS.title) is None):
            known = licence_of(str(licence))
            if known is not None and known.uri == str(licence):
                g.add((licence, DCTERMS.title, Literal(known.title)))


def add_entailed(g: Graph) -> None:
    """Add to G the classes and concept schemes its values have by the vocabularies."""
    extra = Graph()
    for _, p, o in g:
        if not isinstance(o, URIRef | BNode) or not isinstance(p, URIRef):
            continue
        for cls in RANGES.get(p, ()):
            extra.add((o, RDF.type, cls))
        if not isinstance(o, URIRef):
            continue
        scheme = authority.eu_scheme(o)
        if scheme is None and p == DCATDE.politicalGeocodingLevelURI and \
                str(o).removeprefix(vocab.GEOCODING_LEVEL + "/") in _LEVELS:
            scheme = vocab.GEOCODING_LEVEL
        if scheme is None and p == DCTERMS.license and str(o).startswith(vocab.LICENCES + "/"):
            extra.add((o, RDF.type, SKOS.Concept))  # in the DCAT-AP.de licence list
        if scheme is not None:
            extra.add((o, RDF.type, SKOS.Concept))
            extra.add((o, SKOS.inScheme, URIRef(scheme)))
    g += extra
