"""Issue 24's privacy bypasses: each was published with exit 0; now each run is
blocked, exits 1, publishes nothing and shows no raw value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher.catalog.store import CatalogStore
from publisher.pipeline.run import Status, run_pipeline
from publisher.settings import load_settings

CASES = Path(__file__).resolve().parent.parent / "cases" / "privacy24"
ZWSP, RLO, PDF = "\u200b", "\u202e", "\u202c"
LICENCE = [{"name": "OGL-DE-ZERO-2.0", "path": "https://www.govdata.de/dl-de/zero-2-0"}]
DATASET = ("{name: case, title: Meldungen, description: Meldungen je Kategorie, "
           "publisher: Stadt Musterstadt, contact_email: CONTACT, license: dl-zero-de/2.0}")


def _pipeline(tmp_path: Path, source: Path, contact: str = "opendata@musterstadt.example"
              ) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(f"name: case\nsource: {source}\npolicy: de-open-data\nsteps: []\n"
                    "target: {type: local}\n"
                    f"dataset: {DATASET.replace('CONTACT', contact)}\n", encoding="utf-8")
    return path


def _csv_package(root: Path, header: str, cells: list[str]) -> Path:
    root.mkdir()
    lines = [f"kategorie,{header}", *(f"Laterne,{c}" for c in cells)]
    (root / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "datapackage.json").write_text(json.dumps({
        "name": "case", "licenses": LICENCE,
        "resources": [{"name": "meldungen", "path": "data.csv", "format": "csv"}]}),
        encoding="utf-8")
    return root


def _blocked(home: Path, path: Path, rule: str, *raw: str) -> None:
    result = run_pipeline(path, load_settings(home=home))
    assert result.status is Status.BLOCKED and result.exit_code == 1, result.message
    assert rule in result.message, result.message
    assert CatalogStore(home / "catalog").datasets() == []
    shown = result.message + "".join(
        p.read_text(encoding="utf-8") for p in Path(result.run_dir or "").iterdir())
    for value in raw:
        assert value not in shown, value


# the raw pieces keep their separators: bare short digit runs turn up in the journal's times
@pytest.mark.parametrize(("cell", "rule", "raw"), [
    ("Rückruf ０１７６ ４７６３７０９６", "phone-in-text", "４７６３７０９６"),
    (f"Rückruf 0176{ZWSP}4763{ZWSP}7096", "phone-in-text", f"4763{ZWSP}7096"),
    ("Rückruf 0176\u2009476\u202f370\u200796", "phone-in-text", "476\u202f370"),
    ("Kontakt anna.meier＠example.de", "email-in-text", "meier"),
    ("Kontakt anna.meier﹫example.de", "email-in-text", "meier"),
    (f"Kontakt anna.meier@exam{ZWSP}ple.de", "email-in-text", "meier"),
    (f"Kontakt {RLO}ed.elpmaxe@reiem_anna{PDF}", "email-in-text", "reiem"),
    ("Erstattung an DE89–3704–0044–0532–0130–00", "iban-in-text", "0532"),
    ("Standort 51.3379712 12.3816943", "coordinates-in-text", "3379712"),
])
def test_disguised_identifiers_in_cells_block(home: Path, tmp_path: Path, cell: str,
                                              rule: str, raw: str) -> None:
    source = _csv_package(tmp_path / "pkg", "hinweis", ["Glas im Sandkasten", cell])
    _blocked(home, _pipeline(tmp_path, source), rule, raw)


def test_an_email_address_as_column_header_blocks(home: Path, tmp_path: Path) -> None:
    source = _csv_package(tmp_path / "pkg", "anna.meier@example.de", ["ja", "nein"])
    _blocked(home, _pipeline(tmp_path, source), "identifiers-in-metadata", "anna.meier")


def test_personal_data_in_the_descriptor_blocks(home: Path, tmp_path: Path) -> None:
    path = _pipeline(tmp_path, CASES / "metadata")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "steps: []", "steps: []\n# the source's texts go into the published descriptor\n")
        .replace("license: dl-zero-de/2.0}", "license: dl-zero-de/2.0, carry_over: "
                 "[keywords, contributors, field_descriptions]}"), encoding="utf-8")
    _blocked(home, path, "identifiers-in-metadata", "anna.meier", "k.wagner", "47637096")


def test_a_persons_contact_email_in_the_pipeline_blocks(home: Path, tmp_path: Path) -> None:
    source = _csv_package(tmp_path / "pkg", "anzahl", ["3", "4"])
    _blocked(home, _pipeline(tmp_path, source, contact="anna.meier@musterstadt.example"),
             "identifiers-in-metadata", "anna.meier")


def test_identifiers_in_a_nested_geojson_property_block(home: Path, tmp_path: Path) -> None:
    _blocked(home, _pipeline(tmp_path, CASES / "nested"), "email-in-text", "anna.meier",
             "47637096")


def test_declared_not_personal_with_exact_reporter_positions_blocks(
        home: Path, tmp_path: Path) -> None:
    _blocked(home, _pipeline(tmp_path, CASES / "declared"), "coordinates-in-text")
    report = json.loads(next(Path(p) for p in (home / "runs").rglob("run-report.json"))
                        .read_text(encoding="utf-8"))
    precision = [f for f in report["reports"]["recheck"]["findings"]
                 if f["type"] == "coordinate-precision"]
    assert [f["severity"] for f in precision] == ["block"]
    assert "overridden" in precision[0]["message"]


def test_a_function_mailbox_as_contact_still_publishes(home: Path, tmp_path: Path) -> None:
    source = _csv_package(tmp_path / "pkg", "anzahl", ["3", "4"])
    result = run_pipeline(_pipeline(tmp_path, source), load_settings(home=home))
    assert result.status is Status.PUBLISHED, result.message
