"""Does a dataset (or a catalogue graph) conform to DCAT-AP.de 3.0?

With the official SHACL shapes when the conformance directory holds every pinned
file unaltered (publisher.conformance); otherwise with the project's own checks
(publisher.metadata.checks), and the report then says, as a warning, that the
official shapes were not used. The own checks the shapes do not make (recommended
properties, GovData's delivery conventions) run either way. A missing shape never
refuses anything by itself: only findings do (mandatory properties and
sh:Violation block, recommended ones and sh:Warning warn).
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from publisher.conformance.status import directory_status
from publisher.metadata.checks.base import MetadataCheck, Subject, checks, hint_for
from publisher.metadata.dcat_ap_de import dcat_ap_de_graph
from publisher.metadata.model import DatasetMetadata
from publisher.metadata.shacl import Violation, conformance_dir, shacl_check
from publisher.report import Finding, Report, Severity

STAGE = "conformance"
OFFICIAL = "official shapes"
OWN = "own checks"
SHAPES_NOT_USED = "dcat-ap-de-shapes-not-used"
_SEVERITY = {"Violation": Severity.BLOCK, "Warning": Severity.WARN, "Info": Severity.INFO}
_LEVEL = {"Violation": "mandatory", "Warning": "recommended"}


def check_dcat_ap_de(meta: DatasetMetadata, *, directory: Path | None = None) -> Report:
    """The dataset's DCAT-AP.de 3.0 graph checked (see check_graph)."""
    return check_graph(dcat_ap_de_graph(meta), meta=meta, directory=directory)


def check_graph(graph: Graph, *, meta: DatasetMetadata | None = None,
                directory: Path | None = None) -> Report:
    """Findings about a DCAT-AP.de graph; `meta` is the record it was written from,
    if any (it names distributions by their files, and what the writer left out).
    `stats['dcat_ap_de']['checked_with']` is OFFICIAL or OWN."""
    status = directory_status(directory or conformance_dir())
    subject = Subject(graph, meta)
    report = Report(STAGE)
    if status.complete:
        report.extend(_official_for(meta, status.directory) if meta is not None
                      else official_findings(subject, status.directory))
        own = own_checks(in_shapes=False)
        report.notes.append("DCAT-AP.de 3.0: checked with the official SHACL shapes "
                            "(GovData's DCAT-AP.de 3.0 profile and DCAT-AP 3.0.0)")
    else:
        own = own_checks()
        report.add(Finding(
            type=SHAPES_NOT_USED, rule=SHAPES_NOT_USED, severity=Severity.WARN,
            message="the official DCAT-AP.de SHACL shapes were not used "
                    f"({status.summary()} in the conformance directory): the project's own "
                    "checks of the DCAT-AP.de 3.0 mandatory and recommended properties ran "
                    "instead",
            hint="`publisher conformance fetch` downloads the official shapes "
                 "(PUBLISHER_CONFORMANCE_DIR says where they are)"))
        report.notes.append("DCAT-AP.de 3.0: the official SHACL shapes were not used; the "
                            "project's own checks ran")
    for check in own:
        report.extend(list(check.check(subject)))
    report.stats["dcat_ap_de"] = {"checked_with": OFFICIAL if status.complete else OWN,
                                  "shapes": status.summary()}
    return report


def own_checks(*, in_shapes: bool | None = None) -> list[MetadataCheck]:
    """The registered own checks; with in_shapes=False only those the official
    shapes do not make."""
    found = [checks.get(name) for name in checks.types()]
    return [cls() for cls in found if in_shapes is None or cls.in_shapes is in_shapes]


def official_findings(subject: Subject, directory: Path) -> list[Finding]:
    """Every result of the official shapes (violations, warnings, infos) as findings."""
    return [_finding(subject, v) for v in
            shacl_check(subject.graph, include_warnings=True, directory=directory)]


def _official_for(meta: DatasetMetadata, directory: Path) -> list[Finding]:
    """The shapes' findings about a record, remembered: pyshacl takes seconds, and a
    run, its plan and a republish of unchanged metadata ask about the same record (the
    pinned files are the same whenever they verify, so the directory is key enough)."""
    return [dataclasses.replace(f) for f in _remembered(meta, directory)]


@functools.lru_cache(maxsize=64)
def _remembered(meta: DatasetMetadata, directory: Path) -> tuple[Finding, ...]:
    return tuple(official_findings(Subject(dcat_ap_de_graph(meta), meta), directory))


def _finding(subject: Subject, v: Violation) -> Finding:
    focus = _node(subject.graph, v.focus)
    field = subject.field(focus, URIRef(v.path) if v.path else None)
    return Finding(type="dcat-ap-de-shacl", rule="dcat-ap-de-shacl",
                   severity=_SEVERITY.get(v.severity, Severity.INFO),
                   message=f"{_LEVEL.get(v.severity, 'info')} (official shape): {v.message}",
                   field=field, resource=subject.label(focus), hint=hint_for(field))


def _node(graph: Graph, text: str) -> Node:
    """The focus node a SHACL result names (as text): a blank node of the graph, a
    literal value, or an IRI."""
    blank = BNode(text)
    if (blank, None, None) in graph or (None, None, blank) in graph:
        return blank
    literal = Literal(text)
    if (None, None, literal) in graph and (URIRef(text), None, None) not in graph:
        return literal
    return URIRef(text)
