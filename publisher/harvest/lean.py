"""Blank nodes that say the same thing twice, made one.

Harvested descriptions are kept per dataset, so a node two datasets share (a
publisher's IRI with an adms:Identifier blank node, say) comes back once per
dataset when a page serves them together: the same identifier blank node ten
times under the same IRI. That says nothing more than once, but a harvester
that reads the page copies all ten into each dataset it takes, and the next
catalogue serves a hundred. `lean` removes such repeats.
"""

from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, Literal
from rdflib.term import Node


def _term(node: Node) -> str:
    if isinstance(node, Literal):
        return f"L{node}|{node.datatype or ''}|{node.language or ''}"
    return f"I{node}"


class _Signatures:
    def __init__(self, g: Graph):
        self.g = g
        self.memo: dict[BNode, str] = {}

    def of(self, node: BNode, path: frozenset[BNode] = frozenset()) -> str:
        """A digest of what the blank node says, its blank objects included."""
        if node in self.memo:
            return self.memo[node]
        if node in path:
            return "cycle"
        parts = sorted(f"{p}>{self.of(o, path | {node}) if isinstance(o, BNode) else _term(o)}"
                       for p, o in self.g.predicate_objects(node))
        digest = hashlib.sha1("\n".join(parts).encode()).hexdigest()
        self.memo[node] = digest
        return digest


def _remove_tree(g: Graph, node: BNode) -> None:
    children = [o for o in g.objects(node, None) if isinstance(o, BNode)]
    g.remove((node, None, None))
    for child in children:
        if (None, None, child) not in g:
            _remove_tree(g, child)


def lean(g: Graph) -> None:
    """Remove every blank node that repeats a sibling (same subject and property,
    same content all the way down) and is referred to nowhere else."""
    signatures = _Signatures(g)
    pairs = {(s, p) for s, p, o in g if isinstance(o, BNode)}
    for s, p in pairs:
        kept: set[str] = set()
        # a node referred to from elsewhere too is kept first, so its copies fold into it
        nodes = [o for o in g.objects(s, p) if isinstance(o, BNode)]
        uses = {node: len(list(g.subject_predicates(node))) for node in nodes}
        for node in sorted(nodes, key=lambda n: (uses[n] == 1, str(n))):
            digest = signatures.of(node)
            if digest in kept and uses[node] == 1:
                g.remove((s, p, node))
                _remove_tree(g, node)
            else:
                kept.add(digest)
