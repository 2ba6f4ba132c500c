"""`publisher init` on the command line: the output directory, flags, placeholders."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from publisher.cli import app
from tests.cases.init import generate

runner = CliRunner()


def _cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _raw(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir(exist_ok=True)
    return generate.ods(tmp_path / "raw")


def test_refuses_an_existing_directory_unless_forced(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    code, output = _cli("init", str(raw), "--out", str(out))
    assert code == 2
    assert "exists and is not empty" in output and "--force" in output
    assert not (out / "datapackage.json").exists()
    code, output = _cli("init", str(raw), "--out", str(out), "--force")
    assert code == 0, output
    assert (out / "datapackage.json").is_file() and (out / "pipeline.yaml").is_file()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # not ours: kept
    code, output = _cli("init", str(raw), "--out", str(out), "--force")
    assert code == 0, output
    assert sorted(p.name for p in (out / "data").iterdir()) == ["haushalte.ods"]


def test_refuses_input_inside_the_output_and_unknown_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    inside = out / "haushalte.ods"
    out.mkdir()
    generate.ods(out)
    code, output = _cli("init", str(inside), "--out", str(out), "--force")
    assert code == 2 and "inside the output directory" in output
    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF")
    code, output = _cli("init", str(other), "--out", str(tmp_path / "o2"))
    assert code == 2 and "init does not read '.pdf' files" in output
    assert not (tmp_path / "o2").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".o2-init-")]


def test_unknown_licence_exits_2_naming_known_ones(tmp_path: Path) -> None:
    code, output = _cli("init", str(_raw(tmp_path)), "--out", str(tmp_path / "out"),
                        "--license", "cc-by-nc/4.0-typo")
    assert code == 2 and "unknown licence" in output and "dl-by-de/2.0" in output


def test_placeholders_are_reported_until_filled(tmp_path: Path, home: Path) -> None:
    out = tmp_path / "out"
    code, output = _cli("init", str(_raw(tmp_path)), "--out", str(out))
    assert code == 0, output
    assert "licenses[0].name is still a placeholder" in output
    code, output = _cli("validate", str(out), "--json")
    assert code == 1
    placeholders = [f for f in json.loads(output)["findings"] if f["type"] == "placeholder"]
    assert {f["message"].split(" is ")[0] for f in placeholders} == {
        "the descriptor's licenses[0].name", "the descriptor's contributors[0].title"}
    assert all("--license" in f["message"] or "--publisher" in f["message"]
               for f in placeholders)
    pipeline = out / "pipeline.yaml"
    text = pipeline.read_text(encoding="utf-8")
    assert '  publisher: ""  # FILL IN' in text
    code, output = _cli("run", str(pipeline))
    assert code == 2 and "dataset.publisher" in output


def test_a_folder_with_a_shapefile_and_other_files(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    generate.shapefile(raw)
    (raw / "liesmich.txt").write_text("Bezirke", encoding="utf-8")
    code, output = _cli("init", str(raw), "--out", str(tmp_path / "out"), "--json",
                        "--license", "cc-by/4.0", "--publisher", "Stadt Musterstadt")
    assert code == 0, output
    data = json.loads(output)
    [resource] = data["resources"]
    assert resource["format"] == "shp" and resource["encoding"] == "cp1252"
    assert resource["geometry"] == "EPSG:25832"
    assert data["notes"] == ["liesmich.txt: left out (not a format init reads)"]
    assert sorted(p.suffix for p in (tmp_path / "out" / "data").iterdir()) == [
        ".cpg", ".dbf", ".prj", ".shp", ".shx"]


def test_an_output_that_cannot_be_made_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "datei"
    blocker.write_text("x", encoding="utf-8")
    code, output = _cli("init", str(_raw(tmp_path)), "--out", str(blocker / "paket"))
    assert code == 2 and "cannot create the package there" in output
    assert "Traceback" not in output
