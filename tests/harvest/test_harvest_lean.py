from __future__ import annotations

import rdflib
from rdflib.namespace import SKOS

from publisher.harvest.lean import lean

ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
PUBLISHER = rdflib.URIRef("https://example.org/org/stadt")


def _identifier(g: rdflib.Graph, notation: str) -> rdflib.BNode:
    node = rdflib.BNode()
    g.add((PUBLISHER, ADMS.identifier, node))
    g.add((node, SKOS.notation, rdflib.Literal(notation)))
    return node


def test_repeated_blank_nodes_under_one_subject_become_one() -> None:
    """A page serving ten datasets of one publisher holds its identifier once."""
    g = rdflib.Graph()
    for _ in range(10):
        _identifier(g, "stadt-01")
    other = _identifier(g, "stadt-02")
    shared = _identifier(g, "stadt-01")  # the same, but referred to from elsewhere too
    g.add((rdflib.URIRef("https://example.org/x"), SKOS.related, shared))
    lean(g)
    kept = set(g.objects(PUBLISHER, ADMS.identifier))
    # the copies fold into the one referred to from elsewhere, whatever the node ids
    assert kept == {other, shared}
    assert sorted(str(g.value(n, SKOS.notation)) for n in kept) == ["stadt-01", "stadt-02"]
    assert len(g) == 2 * 2 + 1
