"""A view of the DCAT output for harvesters that cannot read all of DCAT-AP 3.

`geometry=literal`: each `locn:geometry` written as the literal it holds (the
DCAT-AP 2 form) instead of a locn:Geometry node. ckanext-dcat's RDF parser (up
to 2.4.4, the version GovData-style CKANs run) reads a geometry only as a
literal and fails on a whole page when it meets a node, so a Land harvesting
with it would get nothing. The default output stays DCAT-AP 3 (a node), which
is what the official DCAT-AP.de 3.0 shapes ask for.
"""

from __future__ import annotations

from typing import Literal

from rdflib import Graph
from rdflib import Literal as RdfLiteral

from publisher.metadata.namespaces import GSP, LOCN

GeometryForm = Literal["node", "literal"]


def geometry_literals(g: Graph) -> None:
    """Replace every locn:geometry node of G that holds a WKT or GeoJSON literal
    by that literal."""
    for where, shape in list(g.subject_objects(LOCN.geometry)):
        if isinstance(shape, RdfLiteral):
            continue
        value = g.value(shape, GSP.asWKT) or g.value(shape, GSP.asGeoJSON)
        if not isinstance(value, RdfLiteral):
            continue
        g.remove((where, LOCN.geometry, shape))
        g.add((where, LOCN.geometry, value))
        if (None, None, shape) not in g:
            g.remove((shape, None, None))
