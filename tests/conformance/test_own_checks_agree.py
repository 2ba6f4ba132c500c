"""The own DCAT-AP.de checks against the official shapes, on the GovData validator's
own test catalogues (../shared/conformance/dcat-ap-de/testcases).

For each test catalogue, the kinds of finding (the field named, blocking or warning)
must be the same. Counts are not compared: the shapes report a problem with a
controlled vocabulary once per value (a language used by four distributions is one
result), the own checks once per node that uses it. Left out, because the own
checks do not make them: whether a contributor id is on the contributor list (only
its namespace is checked: the list is among the official files, not in the
package), and the catalogue records' foaf:primaryTopic (the publisher writes no
catalogue records). In the validator's contributor catalogue, ids outside the
namespace are found by both, so the kinds agree there all the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from publisher.metadata.checks.base import Subject
from publisher.metadata.conformance import official_findings, own_checks
from publisher.report import Finding
from tests.conftest import OFFICIAL_SHAPES

TESTCASES = sorted((OFFICIAL_SHAPES / "testcases").glob("*.ttl"))
NOT_COVERED = {"foaf:primaryTopic"}


def _kinds(findings: list[Finding]) -> set[tuple[str | None, str]]:
    return {(f.field, str(f.severity)) for f in findings if f.field not in NOT_COVERED}


@pytest.mark.skipif(not TESTCASES, reason=f"the validator's test catalogues are not in "
                                          f"{OFFICIAL_SHAPES / 'testcases'}")
@pytest.mark.parametrize("case", TESTCASES, ids=lambda p: p.name)
def test_own_checks_find_what_the_official_shapes_find(case: Path,
                                                       official_shapes: Path) -> None:
    subject = Subject(Graph().parse(case))
    official = _kinds(official_findings(subject, official_shapes))
    own = _kinds([f for check in own_checks(in_shapes=True) for f in check.check(subject)])
    assert official - own == set(), f"only the shapes find {sorted(official - own)}"
    assert own - official == set(), f"only the own checks find {sorted(own - official)}"
    assert official, "every test catalogue has something to find"


def test_the_test_catalogues_are_there() -> None:
    if not OFFICIAL_SHAPES.is_dir():
        pytest.skip(f"conformance material not found at {OFFICIAL_SHAPES}")
    assert len(TESTCASES) >= 10
