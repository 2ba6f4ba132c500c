from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publisher.cli import app
from tests.conftest import CASES, ROOT

runner = CliRunner()
SAMPLES = ROOT / "pipelines" / "samples"


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_validate_valid_package_exits_0_and_json_has_report() -> None:
    code, output = _run("validate", str(SAMPLES / "tree-cadastre"), "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["valid"] is True and data["stage"] == "validate"


def test_validate_schema_break_exits_1_naming_row_and_field() -> None:
    code, output = _run("validate", str(CASES / "bad" / "csv-breaks-schema"), "--json")
    assert code == 1
    findings = json.loads(output)["findings"]
    assert any(f.get("row") == 4 and f.get("field") and f.get("resource") for f in findings)


def test_validate_path_traversal_exits_2_with_message() -> None:
    code, output = _run("validate", str(CASES / "bad" / "path-traversal"))
    assert code == 2
    assert "leaves the package root" in output and "Traceback" not in output


def test_check_finds_emails_in_raw_defect_reports() -> None:
    code, output = _run("check", str(SAMPLES / "defect-reports"), "--policy", "de-open-data",
                        "--json")
    assert code == 1
    findings = json.loads(output)["findings"]
    assert any(f["type"] == "email-in-text" and f["field"] == "description" for f in findings)
    assert all("@example" not in f.get("sample", "") for f in findings)


def test_check_unknown_policy_exits_2() -> None:
    code, output = _run("check", str(SAMPLES / "tree-cadastre"), "--policy", "no-such-policy")
    assert code == 2 and "no-such-policy" in output


def test_run_and_catalog_list_json(home: Path) -> None:
    code, output = _run("run", str(ROOT / "pipelines" / "tree-cadastre.yaml"), "--json")
    assert code == 0, output
    run = json.loads(output)["runs"][0]
    assert run["status"] == "published"
    code, output = _run("catalog", "list", "--json")
    assert code == 0
    [dataset] = json.loads(output)["datasets"]
    assert dataset["name"] == run["publish"]["dataset"] and dataset["version"] == 1
    assert dataset["files"] and all(Path(f).is_file() for f in dataset["files"])


def test_real_command_prints_no_traceback_for_bad_input(tmp_path: Path) -> None:
    env = {**os.environ, "PUBLISHER_HOME": str(tmp_path / "home")}
    exe = Path(sys.executable).parent / "publisher"
    for args, code in [
        (["validate", str(CASES / "bad" / "geojson-invalid-geometry")], 1),
        (["validate", str(CASES / "bad" / "absolute-path")], 2),
        (["validate", str(tmp_path / "does-not-exist")], 2),
        (["run", str(CASES / "pipeline" / "bad-schema.yaml")], 2),
    ]:
        proc = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env,
                              timeout=120, check=False)
        assert proc.returncode == code, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stdout + proc.stderr


def test_validate_of_a_zip_unpacks_under_the_home_and_clears_killed_runs(tmp_path: Path) -> None:
    # A zip holds raw data: it is unpacked in the home's private staging
    # directory, never in the system's temporary directory, and a directory
    # left by a killed run (its lock free) is removed by the next command.
    archive = tmp_path / "trees.zip"
    source = SAMPLES / "tree-cadastre"
    with zipfile.ZipFile(archive, "w") as zf:
        for item in sorted(source.rglob("*")):
            if item.is_file():
                zf.write(item, item.relative_to(source).as_posix())
    home, scratch = tmp_path / "home", tmp_path / "tmp"
    scratch.mkdir()
    killed = home / "staging" / "run-999999-dead"
    killed.mkdir(parents=True)
    (killed / "raw.csv").write_text("name\nMax Mustermann\n", encoding="utf-8")
    env = {**os.environ, "PUBLISHER_HOME": str(home), "TMPDIR": str(scratch)}
    exe = Path(sys.executable).parent / "publisher"
    proc = subprocess.run([str(exe), "validate", str(archive), "--json"], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["valid"] is True
    assert list(scratch.iterdir()) == []
    assert not killed.exists()
    assert [p.name for p in (home / "staging").iterdir()] == [".lock"]


def test_validate_of_a_directory_makes_no_home(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PUBLISHER_HOME", raising=False)
    code, output = _run("validate", str(SAMPLES / "tree-cadastre"))
    assert code == 0, output
    assert not (tmp_path / ".publisher").exists()


def test_version_names_the_package_version_and_the_engine() -> None:
    from publisher import __version__

    code, output = _run("--version")
    assert code == 0, output
    assert output.startswith(f"publisher {__version__} (")
    assert "engine" in output or "extension" in output


def _remote_package(tmp_path: Path) -> Path:
    root = tmp_path / "remote-package"
    root.mkdir()
    (root / "datapackage.json").write_text(json.dumps({
        "name": "remote", "licenses": [{"name": "CC-BY-4.0"}],
        "resources": [{"name": "table", "path": "https://data.example.org/table.csv",
                       "format": "csv"}]}), encoding="utf-8")
    return root


@pytest.mark.parametrize("command", [["validate"], ["check", "--policy", "de-open-data"]])
def test_remote_resources_are_allowed_by_the_flag_or_the_setting(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISHER_HOME", str(tmp_path / "home"))
    package = str(_remote_package(tmp_path))
    code, output = _run(command[0], package, *command[1:], "--json")
    assert code == 2 and "remote resources are not allowed" in output
    # allowed: the host must still be listed in remote_hosts (none is)
    code, output = _run(command[0], package, *command[1:], "--json", "--allow-remote")
    assert code == 2 and "host 'data.example.org' is not" in output
    monkeypatch.setenv("PUBLISHER_ALLOW_REMOTE", "true")
    assert _run(command[0], package, *command[1:], "--json")[1] == output
    code, output = _run(command[0], package, *command[1:], "--json", "--no-allow-remote")
    assert code == 2 and "remote resources are not allowed" in output


def test_publish_applies_only_a_saved_plan(home: Path) -> None:
    code, output = _run("publish", "no-such-run", "--json", "--home", str(home))
    assert code == 2 and "no such run report" in output
    code, output = _run("publish", str(ROOT / "pipelines" / "tree-cadastre.yaml"), "--json",
                        "--home", str(home))
    assert code == 2 and "not a pipeline" in output and "publisher run" in output
    code, output = _run("run", str(ROOT / "pipelines" / "tree-cadastre.yaml"), "--json",
                        "--home", str(home))
    assert code == 0, output
    [run] = json.loads(output)["runs"]
    code, output = _run("publish", run["run_id"], "--json", "--home", str(home))
    assert code == 2 and "holds no plan" in output  # a run report, not a plan
    code, output = _run("publish", str(Path(run["run_dir"]) / "run-report.json"), "--json",
                        "--home", str(home))
    assert code == 2 and "holds no plan" in output
