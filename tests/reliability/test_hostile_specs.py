"""Hostile pipeline and policy files, and batches: refused with exit 2 and a
message naming what and where, no traceback, nothing published (issue 24:
alias bombs, deep nesting, duplicate keys, /dev/zero and FIFOs as source, a
dataset name with a trailing newline, two pipelines publishing one dataset)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from publisher.catalog.store import CatalogStore
from publisher.cli import app
from tests.package.test_pkg_limits import LAUGHS

ROOT = Path(__file__).resolve().parents[2]
TREES = ROOT / "pipelines" / "samples" / "tree-cadastre"
runner = CliRunner()


def _spec(name: str = "trees", dataset: str = "baeume", source: str | Path = TREES,
          **extra: object) -> dict[str, object]:
    return {"name": name, "source": str(source), "policy": "de-open-data", "steps": [],
            "accept": [{"rule": "coordinate-precision", "reason": "Bäume sind öffentlich."}],
            "target": {"type": "local"},
            "dataset": {"name": dataset, "title": "Bäume", "description": "Baumkataster",
                        "publisher": "Stadt Musterstadt", "license": "dl-by-de/2.0"},
            **extra}


def _write(path: Path, spec: dict[str, object] | str) -> Path:
    text = spec if isinstance(spec, str) else yaml.safe_dump(spec, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def _run(home: Path, *pipelines: Path) -> tuple[int, dict[str, object], str]:
    result = runner.invoke(app, ["run", *map(str, pipelines), "--json", "--home", str(home)])
    output = result.output + (result.stderr or "")
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]
    return result.exit_code, json.loads(result.output), output


def _messages(data: dict[str, object]) -> list[str]:
    runs = data["runs"]
    assert isinstance(runs, list)
    return [str(r["message"]) for r in runs]


def _published(home: Path) -> list[str]:
    catalog = home / "catalog"
    return [d.name for d in CatalogStore(catalog).datasets()] if catalog.exists() else []


@pytest.mark.parametrize(("text", "expected"), [
    (LAUGHS, "too many nodes"),
    ("name: x\nsteps: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
    ("name: x\nsteps: []\nsteps: []\n", "the key 'steps' appears twice"),
    ("name: x\nmin_count: .inf\n", "not finite"),
    ("a: &a [*a]\n", "refers to a value that contains it"),
], ids=["billion-laughs", "deep-flow", "duplicate-steps", "infinity", "alias-cycle"])
def test_hostile_pipeline_files(tmp_path: Path, text: str, expected: str) -> None:
    code, data, _ = _run(tmp_path / "home", _write(tmp_path / "p.yaml", text))
    assert code == 2
    assert expected in _messages(data)[0]


@pytest.mark.parametrize(("text", "expected"), [
    (LAUGHS, "too many nodes"),
    ("name: city\nextends: de-open-data\nrules: []\nrules: []\n", "'rules' appears twice"),
], ids=["billion-laughs", "duplicate-rules"])
def test_hostile_policy_files(tmp_path: Path, text: str, expected: str) -> None:
    policy = _write(tmp_path / "city.yaml", text)
    pipeline = _write(tmp_path / "p.yaml", {**_spec(), "policy": str(policy)})
    code, data, _ = _run(tmp_path / "home", pipeline)
    assert code == 2
    assert expected in _messages(data)[0]
    result = runner.invoke(app, ["check", str(TREES), "--policy", str(policy), "--json"])
    assert result.exit_code == 2 and expected in json.loads(result.output)["message"]


def test_source_that_never_ends_or_never_opens(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "package.zip"
    link.symlink_to("/dev/zero")
    pipelines = [_write(tmp_path / "zero.yaml", _spec(name="zero", dataset="aa",
                                                      source="/dev/zero")),
                 _write(tmp_path / "link.yaml", _spec(name="link", dataset="bb", source=link)),
                 _write(tmp_path / "fifo.yaml", _spec(name="fifo", dataset="cc", source=fifo))]
    code, data, _ = _run(tmp_path / "home", *pipelines)
    assert code == 2
    zero, linked, piped = _messages(data)
    assert "/dev/zero: the package source is a device, not a regular file" in zero
    assert "/dev/zero: the package source is a device, not a regular file" in linked
    assert "fifo: the package source is a FIFO (named pipe), not a regular file" in piped


def test_dataset_name_is_matched_whole(tmp_path: Path) -> None:
    spec = _spec(dataset="baeume\n")
    code, data, _ = _run(tmp_path / "home", _write(tmp_path / "p.yaml", spec))
    assert code == 2
    assert "dataset.name" in _messages(data)[0]
    assert _published(tmp_path / "home") == []


def test_two_pipelines_of_one_batch_for_one_dataset_are_refused(tmp_path: Path) -> None:
    package = tmp_path / "trees"
    shutil.copytree(TREES, package)
    first = _write(tmp_path / "a.yaml", _spec(name="a", dataset="baeume"))
    second = _write(tmp_path / "b.yaml", _spec(name="b", dataset="baeume", source=package))
    other = _write(tmp_path / "c.yaml", _spec(name="c", dataset="baeume-2"))
    code, data, _ = _run(tmp_path / "home", first, second, other)
    assert code == 2
    messages = _messages(data)
    for message in messages[:2]:
        assert "pipelines a.yaml, b.yaml all publish the dataset 'baeume'" in message
    assert _published(tmp_path / "home") == ["baeume-2"]


def test_the_same_name_on_different_local_targets_is_no_clash(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.yaml", _spec(name="a", target={"type": "local",
                                                                "path": "cat-a"}))
    second = _write(tmp_path / "b.yaml", _spec(name="b", target={"type": "local",
                                                                 "path": "cat-b"}))
    code, data, _ = _run(tmp_path / "home", first, second)
    assert code == 0, _messages(data)
