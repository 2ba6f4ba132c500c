"""Targets are a registry: a target from outside the package is one file
(tests/targets/folder_target.py) plus its registration; the pipeline schema
check, `run` and `plan` take it like a shipped one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from publisher.errors import SpecError
from publisher.pipeline.run import Status, run_pipeline
from publisher.pipeline.saved import publish_saved
from publisher.pipeline.spec import load_spec, pipeline_schema
from publisher.settings import Settings, load_settings
from publisher.storage import StorageOptions, make_storage
from publisher.storage.local import LocalStorage
from publisher.targets import make_target, targets
from publisher.targets.base import NoPlanError, TargetContext, planners
from publisher.targets.local import LocalOptions, LocalTarget
from tests.conftest import ROOT
from tests.targets.folder_target import FolderTarget

TREES = ROOT / "pipelines" / "tree-cadastre.yaml"


@pytest.fixture
def folder_target() -> Iterator[type[FolderTarget]]:
    targets.register(FolderTarget)
    yield FolderTarget
    targets.unregister(FolderTarget.type)


def _pipeline(tmp_path: Path, target: dict[str, object]) -> Path:
    spec = yaml.safe_load(TREES.read_text(encoding="utf-8"))
    spec["source"] = str(TREES.parent / spec["source"])
    spec["target"] = target
    path = tmp_path / "trees.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def test_a_target_from_the_tests_folder_runs_a_pipeline(
        folder_target: type[FolderTarget], home: Path, tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path, {"type": "test-folder", "folder": "out"})
    settings = load_settings(home=home)

    planned = run_pipeline(pipeline, settings, plan_only=True)
    assert planned.status is Status.PLANNED, planned.message
    assert planned.plan == {"dataset": "baumkataster-musterstadt", "changed": True,
                            "summary": "copy the files", "fields": [], "resources": []}

    result = run_pipeline(pipeline, settings)
    assert result.status is Status.PUBLISHED, result.message
    assert result.publish is not None and result.publish.version is None
    copied = Path(result.publish.location)
    assert copied.parent == tmp_path / "out" / "baumkataster-musterstadt"
    assert (copied / "datapackage.json").is_file()
    assert (copied / "reports" / "audit.html").is_file()

    again = run_pipeline(pipeline, settings)
    assert again.status is Status.UNCHANGED, again.message
    assert "test-folder" in planners()


def test_a_registered_target_s_options_are_checked_by_the_schema_with_their_line(
        folder_target: type[FolderTarget], tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path, {"type": "test-folder", "folder": "out", "colour": "red"})
    with pytest.raises(SpecError) as err:
        load_spec(pipeline)
    assert "target" in str(err.value) and "colour" in str(err.value)
    assert "(line " in str(err.value)
    # the run-time schema lists it; the shipped file does not
    schema = pipeline_schema()
    assert "test-folder" in schema["$defs"]["target"]["properties"]["type"]["enum"]


def test_without_the_registration_the_type_is_unknown(tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path, {"type": "test-folder", "folder": "out"})
    with pytest.raises(SpecError, match=r"target\.type.*is not one of"):
        load_spec(pipeline)
    with pytest.raises(SpecError, match=r"unknown target type 'test-folder' "
                                        r"\(known: ckan, local\)"):
        make_target({"type": "test-folder"}, Settings())


def test_a_target_that_cannot_plan_says_so_with_a_typed_error(home: Path, tmp_path: Path
                                                              ) -> None:
    target = LocalTarget.create(LocalOptions(), TargetContext(load_settings(home=home)))
    with pytest.raises(NoPlanError, match="cannot tell what publishing would change"):
        target.plan(None)  # type: ignore[arg-type]
    result = run_pipeline(_pipeline(tmp_path, {"type": "local"}), load_settings(home=home),
                          plan_only=True)
    assert result.status is Status.FAILED and result.exit_code == 2
    assert result.error is not None and result.error["where"] == "target.type"
    assert "ckan" in result.message  # names the targets that can


def test_storage_is_chosen_apart_from_the_target(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    assert make_storage(StorageOptions(), settings) is None  # auto, no bucket configured
    assert make_storage(StorageOptions(storage="none"), settings) is None
    local = make_storage(StorageOptions(storage="local", storage_path="files",
                                        storage_url="https://files.example/open/"),
                         settings, tmp_path)
    assert isinstance(local, LocalStorage) and local.root == tmp_path / "files"
    assert local.url("a b/c.csv") == "https://files.example/open/a%20b/c.csv"
    with pytest.raises(SpecError, match="needs a bucket"):
        make_storage(StorageOptions(storage="s3"), settings)
    with pytest.raises(SpecError, match="needs a directory"):
        make_storage(StorageOptions(storage="local"), settings)


def test_publish_applies_a_saved_plan_and_refuses_one_out_of_date(
        folder_target: type[FolderTarget], home: Path, tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path, {"type": "test-folder", "folder": "out"})
    settings = load_settings(home=home)
    planned = run_pipeline(pipeline, settings, plan_only=True)
    assert planned.status is Status.PLANNED and planned.run_dir is not None

    [applied] = publish_saved([planned.run_dir], settings)
    assert applied.status is Status.PUBLISHED, applied.message
    # the same plan again: the files are there now, so it no longer says what would happen
    [stale] = publish_saved([planned.run_id], settings)
    assert stale.status is Status.FAILED and stale.exit_code == 2
    assert "saved plan is out of date (changed, summary differ)" in stale.message
    assert stale.error is not None and stale.error["hint"].startswith("run `publisher plan`")
