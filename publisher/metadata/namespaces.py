"""RDF namespaces beyond rdflib's own, for the profiles, the catalogue's paging
and the harvester alike."""

from __future__ import annotations

from rdflib import Namespace

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
GEODCATAP = Namespace("http://data.europa.eu/930/")
SCHEMA = Namespace("http://schema.org/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
AS = Namespace("https://www.w3.org/ns/activitystreams#")
