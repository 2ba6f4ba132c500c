"""`publisher check` on the shipped samples with each shipped policy: findings and exit codes."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publisher.cli import app

SAMPLES = Path(__file__).parent.parent.parent / "pipelines" / "samples"

# (sample, policy) -> exit code, {(rule, severity)} that must be there, rules that must not fire
EXPECTED = {
    ("defect-reports", "de-open-data"): (1, {("email-in-text", "block"),
                                             ("phone-in-text", "block"),
                                             ("coordinate-precision", "block"),
                                             ("personal-column-names", "block")}, set()),
    # the package declares its trees not personal: their precision is only info
    ("tree-cadastre", "de-open-data"): (0, {("coordinate-precision", "info")},
                                        {"coordinate-extent", "licence-allowlist"}),
    ("charging-points", "de-open-data"): (0, {("coordinate-precision", "warn")},
                                          {"coordinate-extent", "licence-allowlist"}),
    ("defect-reports", "at-ogd"): (1, {("licence-allowlist", "block"),
                                       ("coordinate-extent", "warn")}, set()),
    ("tree-cadastre", "at-ogd"): (1, {("licence-allowlist", "block"),
                                      ("coordinate-extent", "warn")}, set()),
    ("charging-points", "at-ogd"): (0, {("coordinate-extent", "warn"),
                                        ("licence-attribution", "info")}, {"licence-allowlist"}),
}


@pytest.mark.parametrize(("sample", "policy"), sorted(EXPECTED))
def test_check_sample_with_shipped_policy(sample, policy):
    code, present, absent = EXPECTED[(sample, policy)]
    result = CliRunner().invoke(app, ["check", str(SAMPLES / sample), "--policy", policy,
                                      "--json"])
    assert result.exit_code == code, result.output[-2000:]
    report = json.loads(result.output)
    found = {(f["rule"], f["severity"]) for f in report["findings"]}
    assert present <= found
    assert not absent & {rule for rule, _ in found}
