from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from publisher.cli import app
from tests.handover.conftest import HANDOVER_CASES, TREES, cli, runner

DATA = f"datasets/{TREES}/v1/data/trees.geojson"


def _problems(data: dict) -> set[tuple[str, str]]:
    return {(p["kind"], p["path"]) for p in data["problems"]}


def _rewrite_manifest_entry(bundle: Path, path: str) -> None:
    """Update the manifest's checksum of PATH to what is on disk now (a tamper
    that covers its tracks in the manifest)."""
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    data = (bundle / path).read_bytes()
    for entry in manifest["files"]:
        if entry["path"] == path:
            entry.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_fresh_bundle_verifies_with_shapes_and_expected_digest(bundle: Path) -> None:
    digest = hashlib.sha256((bundle / "manifest.json").read_bytes()).hexdigest()
    code, data = cli("handover", "verify", str(bundle), "--shacl", "--expect", digest)
    assert code == 0, data
    assert data["ok"] and data["problems"] == [] and data["shacl"] is True
    assert data["datasets"] == 3 and data["versions"] == 4 and data["runs"] >= 4
    result = runner.invoke(app, ["handover", "verify", str(bundle)])
    assert result.exit_code == 0 and "bundle intact" in result.output


def test_altered_byte_fails_naming_the_file(bundle: Path) -> None:
    path = bundle / DATA
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    code, out = cli("handover", "verify", str(bundle))
    assert code == 1 and not out["ok"]
    [problem] = out["problems"]
    assert problem["kind"] == "altered" and problem["path"] == DATA
    assert "SHA-256" in problem["message"]
    result = runner.invoke(app, ["handover", "verify", str(bundle)])
    assert result.exit_code == 1 and "NOT intact" in result.output and DATA in result.output


def test_deleted_file_is_missing(bundle: Path) -> None:
    (bundle / f"datasets/{TREES}/v2/reports/audit.json").unlink()
    code, out = cli("handover", "verify", str(bundle))
    assert code == 1
    assert _problems(out) == {("missing", f"datasets/{TREES}/v2/reports/audit.json")}


def test_extra_file_is_reported(bundle: Path) -> None:
    (bundle / "datasets" / TREES / "v1" / "notes.txt").write_text("added later")
    code, out = cli("handover", "verify", str(bundle))
    assert code == 1
    assert _problems(out) == {("extra", f"datasets/{TREES}/v1/notes.txt")}


def test_deleted_version_directory_is_missing(bundle: Path) -> None:
    shutil.rmtree(bundle / "datasets" / TREES / "v2")
    code, out = cli("handover", "verify", str(bundle))
    assert code == 1 and {kind for kind, _ in _problems(out)} == {"missing"}
    assert ("missing", f"datasets/{TREES}/v2/datapackage.json") in _problems(out)


def test_version_dropped_from_disk_and_file_list_is_incomplete(bundle: Path) -> None:
    shutil.rmtree(bundle / "datasets" / TREES / "v2")
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = [f for f in manifest["files"]
                         if not f["path"].startswith(f"datasets/{TREES}/v2/")]
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, out = cli("handover", "verify", str(bundle))
    assert code == 1
    assert _problems(out) == {("incomplete", f"datasets/{TREES}/v2/datapackage.json")}


def test_altered_expected_digest_fails(bundle: Path) -> None:
    code, out = cli("handover", "verify", str(bundle), "--expect", "0" * 64)
    assert code == 1 and _problems(out) == {("manifest", "manifest.json")}


def test_data_changed_with_manifest_fixed_up_is_caught_by_the_descriptor(bundle: Path) -> None:
    path = bundle / DATA
    path.write_bytes(path.read_bytes().replace(b"Point", b"Point ", 1))
    _rewrite_manifest_entry(bundle, DATA)
    code, out = cli("handover", "verify", str(bundle))
    assert code == 1
    assert _problems(out) == {("descriptor", f"datasets/{TREES}/v1/datapackage.json")}


def test_unparsable_dcat_is_reported(bundle: Path) -> None:
    rel = f"datasets/{TREES}/dcat.ttl"
    (bundle / rel).write_text("<not turtle", encoding="utf-8")
    _rewrite_manifest_entry(bundle, rel)
    code, out = cli("handover", "verify", str(bundle))
    assert code == 1 and _problems(out) == {("dcat", rel)}
    assert "does not parse as turtle" in out["problems"][0]["message"]


@pytest.mark.parametrize(("case", "message"), [
    ("manifest-not-json.json", "not valid JSON"),
    ("manifest-other-format.json", "not a publisher-handover manifest"),
    ("manifest-future-version.json", "format version 99 is not supported"),
    ("manifest-missing-fields.json", "does not match the bundle format"),
    ("manifest-unsafe-path.json", "names a file outside the bundle"),
])
def test_broken_manifest_cannot_be_read(bundle: Path, case: str, message: str) -> None:
    shutil.copyfile(HANDOVER_CASES / case, bundle / "manifest.json")
    code, out = cli("handover", "verify", str(bundle))
    assert code == 2 and not out["ok"]
    assert message in out["message"] and out["where"].endswith("manifest.json")


def test_missing_manifest_or_bundle_cannot_be_read(bundle: Path, tmp_path: Path) -> None:
    (bundle / "manifest.json").unlink()
    code, out = cli("handover", "verify", str(bundle))
    assert code == 2 and "no manifest.json" in out["message"]
    code, out = cli("handover", "verify", str(tmp_path / "nowhere"))
    assert code == 2 and "no bundle directory" in out["message"]
    result = runner.invoke(app, ["handover", "verify", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize("with_shapes", [True, False], ids=["official-shapes", "own-checks"])
def test_shacl_says_which_check_ran_and_finds_a_missing_title(
        bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest, with_shapes: bool) -> None:
    directory = request.getfixturevalue("official_shapes") if with_shapes else tmp_path / "none"
    monkeypatch.setenv("PUBLISHER_CONFORMANCE_DIR", str(directory))
    code, data = cli("handover", "verify", str(bundle), "--shacl")
    assert code == 0, data
    assert data["shapes"] == ("official shapes" if with_shapes else "own checks")
    text = runner.invoke(app, ["handover", "verify", str(bundle), "--shacl"]).output
    assert ("passes (the official shapes)" in text) is with_shapes
    assert ("own checks" in text) is not with_shapes

    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, RDF

    catalog = bundle / "catalog.ttl"
    graph = rdflib.Graph().parse(catalog)
    [trees] = [d for d in graph.subjects(RDF.type, DCAT.Dataset) if str(d).endswith(TREES)]
    graph.remove((trees, DCTERMS.title, None))
    catalog.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    _rewrite_manifest_entry(bundle, "catalog.ttl")
    code, data = cli("handover", "verify", str(bundle), "--shacl")
    assert code == 1, data
    assert [p for p in data["problems"] if p["kind"] == "shacl"
            and "dataset.title" in p["message"]] != [], data["problems"]
