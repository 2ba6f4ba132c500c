"""k-anonymise enforced on the workers (publisher.cluster.quasi): each CSV byte
range counts its distinct combinations of the quasi-identifiers' values with
the first record of each, the ranges' counts are combined, and the client
searches and suppresses over those combinations weighted by their records; a
donor class's first records are found by a second pass; the row-wise pass on the
workers writes the result. The client never reads a record's values (of_file
fails if it is called), and the figures, notes, errors and written bytes are
those of one process: on a plain case, one needing several levels, local
suppression, both ways a too small suppressed class grows (a donor class's first
records, whole classes), a block, a bad value; in a whole run after the row-wise
steps; and with a worker killed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from publisher.cluster import passes_for, quasi, rows, scan
from publisher.errors import PublisherError
from publisher.package.loader import load_package
from publisher.pipeline.run import run_pipeline
from publisher.settings import load_settings
from publisher.steps import k_anonymise
from publisher.steps.base import StepContext, run_steps, steps
from tests.cluster.conftest import LocalCluster
from tests.cluster.test_cluster_rows import SAMPLE, _kanon_pipeline, _same

SECRET = "a-test-key-of-enough-length"
PEOPLE = [{"column": "age", "kind": "band", "levels": [5, 10, 20]},
          {"column": "sex"},
          {"column": "plz", "kind": "postcode", "levels": [4, 3, 2]}]
AGE = [{"column": "age", "kind": "band", "levels": [10]}]


def _people(n: int, seed: int = 0) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    ages = rng.integers(18, 95, n)
    sexes = rng.choice(["m", "w", "d"], n)
    plzs = rng.choice(["04109", "04103", "04229", "04317", "04155", "01067"], n)
    return [{"age": str(a), "sex": str(s), "plz": str(p)}
            for a, s, p in zip(ages, sexes, plzs, strict=True)]


def _decades(counts: dict[int, int], seed: int = 3) -> list[dict[str, str]]:
    """COUNTS[decade] records with ages spread over the decade, shuffled."""
    ages = [str(decade + i % 10) for decade, n in counts.items() for i in range(n)]
    order = np.random.default_rng(seed).permutation(len(ages))
    return [{"age": ages[i], "sex": "w", "plz": "04109"} for i in order]


def _bad(records: list[dict[str, str]]) -> list[dict[str, str]]:
    """Three ages that are no numbers (two the same) in later ranges."""
    for at, value in ((40, "kaputt"), (90, "x"), (130, "kaputt")):
        records[at] = {**records[at], "age": value}
    return records


CASES: dict[str, tuple[list[dict[str, str]], dict[str, Any]]] = {
    "plain": (_people(400), {"k": 5, "quasi_identifiers": [{"column": "sex"}]}),
    "several levels": (_people(600, 1), {"k": 5, "max_suppression": 0.01,
                                          "quasi_identifiers": PEOPLE}),
    "local suppression": (_people(600, 2), {"k": 4, "max_suppression": 0.05,
                                             "quasi_identifiers": PEOPLE}),
    "a donor class's first records": (_decades({20: 30, 30: 6, 90: 1}), {
        "k": 5, "max_suppression": 0.05, "quasi_identifiers": AGE}),
    "whole classes": (_decades({20: 8, 30: 6, 40: 7, 90: 1}), {
        "k": 5, "max_suppression": 0.1, "quasi_identifiers": AGE}),
    "block": (_people(3), {"k": 5, "quasi_identifiers": [{"column": "sex"}]}),
    "a bad value": (_bad(_people(200, 4)), {"k": 5, "max_suppression": 0.0,
                                             "quasi_identifiers": PEOPLE}),
}


def _package(folder: Path, records: list[dict[str, str]]) -> Path:
    """A CSV resource `people` of the records, each with an id and a long note (so
    that ranges of 512 bytes hold a few records each)."""
    folder.mkdir(parents=True)
    lines = ["id,age,sex,plz,note"]
    lines += [f"{i},{r['age']},{r['sex']},{r['plz']},{'Anmerkung ' * 6}{i}"
              for i, r in enumerate(records)]
    (folder / "people.csv").write_text("\n".join(lines) + "\n", "utf-8")
    fields = [{"name": n, "type": "string"} for n in ("id", "age", "sex", "plz", "note")]
    (folder / "datapackage.json").write_text(json.dumps({
        "name": "p", "resources": [{"name": "people", "path": "people.csv", "format": "csv",
                                    "schema": {"fields": fields}}]}), "utf-8")
    return folder


def _anonymised(folder: Path, work: Path, address: str | None, params: dict[str, Any]
                ) -> tuple[Any, bytes | None]:
    """k-anonymise's figures and the file its pass wrote; or the error it raised."""
    package = load_package(str(folder))
    step = steps.get("k-anonymise")
    chosen = step(step.Params.model_validate({"resource": "people", **params}))
    context = StepContext(secret=SECRET, passes=passes_for(address), workdir=work)
    try:
        [outcome] = run_steps([chosen], package, context)
    except PublisherError as exc:
        return (type(exc).__name__, str(exc), exc.hint), None
    [resource] = package.resources
    assert resource.data is None and resource.projection is not None
    return (outcome.stats, outcome.notes), resource.projection.file.read_bytes()


def _on_workers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """From now on the client may not read the records' codes (of_file fails); what
    the cluster's passes give: whether the combinations were counted there, the donors asked for,
    and whether the row-wise pass ran there."""
    calls: dict[str, list[Any]] = {"combinations": [], "donors": [], "rewrite": []}
    combinations, first_records = quasi.combinations_on, quasi.first_records_on
    rewrite = rows.rewrite_ranges_on

    def counted(*args: Any, **kwargs: Any) -> Any:
        found = combinations(*args, **kwargs)
        calls["combinations"].append(found is not None)
        return found

    def donors(*args: Any, **kwargs: Any) -> Any:
        found = first_records(*args, **kwargs)
        calls["donors"].append(None if found is None else found.tolist())
        return found

    def written(*args: Any, **kwargs: Any) -> Any:
        done = rewrite(*args, **kwargs)
        calls["rewrite"].append(done is not None)
        return done

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the client read every record's quasi-identifiers")

    monkeypatch.setattr(quasi, "combinations_on", counted)
    monkeypatch.setattr(quasi, "first_records_on", donors)
    monkeypatch.setattr(rows, "rewrite_ranges_on", written)
    monkeypatch.setattr(k_anonymise, "of_file", refused)
    return calls


@pytest.mark.parametrize("case", CASES)
def test_k_anonymise_on_the_workers_as_in_one_process(
        case: str, tmp_path: Path, local_cluster: LocalCluster,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 512)  # a few records a range
    records, params = CASES[case]
    folder = _package(tmp_path / "package", records)
    single = _anonymised(folder, tmp_path / "single", None, params)
    calls = _on_workers(monkeypatch)
    on_cluster = _anonymised(folder, tmp_path / "cluster", local_cluster.address, params)
    assert on_cluster == single
    assert calls["combinations"] == [True]  # and of_file was not called
    figures, written = single
    if case == "block":
        assert figures[0] == "BlockedError" and "k = 5 not reached" in figures[1]
        return
    if case == "a bad value":
        assert figures[0] == "InputError"
        assert "holds 3 value(s) that are not numbers (first in row 42)" in figures[1]
        return
    assert written is not None and calls["rewrite"] == [True]
    stats = figures[0]["resources"]["people"]
    levels = [label != "original" for label in stats["levels"].values()]
    beyond = any("beyond the" in note for note in figures[1])
    expected = {
        "plain": not any(levels) and stats["rows_touched"] == 0,
        "several levels": sum(levels) >= 2,
        "local suppression": 0 < stats["rows_touched"] <= 30 and not beyond,
        "a donor class's first records": stats["rows_touched"] == 5 and beyond,
        "whole classes": stats["rows_touched"] == 7 and beyond,
    }
    assert expected[case], (case, figures)
    donors = calls["donors"]
    if case == "a donor class's first records":
        assert len(donors) == 1 and len(donors[0]) == 4  # the 4 missing from k
        assert written.count(b'"*"') == 5
    else:
        assert donors == []


def test_a_worker_killed_while_combinations_are_counted_is_survived(
        tmp_path: Path, local_cluster: LocalCluster, reports: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)  # about 10 ranges
    monkeypatch.setattr(rows, "INLINE_BYTES", 0)  # the changes sent to every worker once
    params = {"k": 5, "quasi_identifiers": [
        {"column": "reported_at", "kind": "datetime", "levels": ["day", "month"]},
        {"column": "category"}, {"column": "status"}]}

    def anonymised(work: Path, address: str | None) -> tuple[Any, bytes | None]:
        package = load_package(str(reports / "latlon"))
        step = steps.get("k-anonymise")
        chosen = step(step.Params.model_validate({"resource": "reports", **params}))
        context = StepContext(secret=SECRET, passes=passes_for(address), workdir=work)
        [outcome] = run_steps([chosen], package, context)
        [resource] = package.resources
        assert resource.projection is not None
        return outcome.stats, resource.projection.file.read_bytes()

    single = anonymised(tmp_path / "single", None)
    calls = _on_workers(monkeypatch)
    on_cluster = local_cluster.killing_a_worker("combinations_part", lambda: anonymised(
        tmp_path / "cluster", local_cluster.address))
    assert calls["combinations"] == [True] and calls["rewrite"] == [True]
    assert single[0]["k_reached"] >= 5
    assert on_cluster == single


def test_a_whole_run_enforces_k_on_the_workers(tmp_path: Path, local_cluster: LocalCluster,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """After the row-wise steps' pass (k-anonymise reads the file it wrote): the same
    findings, figures and published bytes, the combinations counted on the workers."""
    monkeypatch.setattr(scan, "PART_BYTES", 16 * 1024)  # about 7 ranges of the sample
    pipeline = _kanon_pipeline(tmp_path, SAMPLE)
    single = run_pipeline(pipeline, load_settings(home=tmp_path / "single"))
    calls = _on_workers(monkeypatch)
    on_cluster = run_pipeline(pipeline, load_settings(home=tmp_path / "cluster",
                                                      cluster=local_cluster.address))
    assert calls["combinations"] == [True] and calls["rewrite"] == [True, True]
    assert single.steps[-1]["stats"]["k_reached"] >= 5
    _same(single, on_cluster)
