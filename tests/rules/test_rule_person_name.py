import json
from pathlib import Path

import pandas as pd

from publisher.masking import mask
from publisher.package.loader import load_package
from publisher.package.model import Package, Resource
from publisher.report import Report, Severity
from publisher.rules._personal import Personal, PersonalParams, personal_status
from publisher.rules.base import rules
from publisher.rules.person_name_in_text import PersonNameInText, PersonNameParams

SAMPLES = Path(__file__).parent.parent.parent / "pipelines" / "samples"
NAMES = ["Klaus Wagner", "Becker", "Elif Öztürk", "Krause", "Wagner, Klaus"]


def package(*resources: Resource) -> Package:
    return Package(root=SAMPLES, descriptor={"name": "p"}, resources=list(resources))


def resource(name: str, table: dict[str, list[str]]) -> Resource:
    frame = pd.DataFrame(table)
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # frictionless row numbers
    return Resource(name=name, format="csv", descriptor={"name": name}, data=frame)


def run(pkg: Package, **params: object) -> tuple[PersonNameInText, Report]:
    rule = PersonNameInText(PersonNameParams.model_validate(params))
    return rule, Report(stage="check", findings=list(rule.check(pkg)))


def free_text() -> Resource:
    return resource("defects", {
        "beschreibung": ["Laterne flackert.", "Herr Becker hat angerufen.",
                         "Schaden an der Albert-Schweitzer-Schule.",
                         "Bitte reparieren.\nViele Grüße,\nElif Öztürk", "im August 2024 gemeldet"],
        "hinweis": ["gemeldet von Klaus Wagner", "", "Bäckerei Müller", "", "Familie Krause"],
    })


def test_registered_under_its_type():
    assert rules.get("person-name-in-text") is PersonNameInText


def test_cell_findings_with_row_field_and_masked_sample():
    rule, report = run(package(free_text()))
    where = [(f.resource, f.row, f.field, f.sample) for f in report.findings]
    assert where == [("defects", 3, "beschreibung", mask("Becker")),
                     ("defects", 5, "beschreibung", mask("Elif Öztürk")),
                     ("defects", 2, "hinweis", mask("Klaus Wagner")),
                     ("defects", 6, "hinweis", mask("Krause"))]
    assert all(f.severity is Severity.BLOCK for f in report.findings)
    assert report.findings[0].message == "a person's name in the text"
    assert rule.stats["by_field"] == {"defects.beschreibung": 2, "defects.hinweis": 2}
    assert rule.stats["name_columns"] == {}  # free text is no column of names


def test_mask_leaves_no_surname_readable():
    assert mask("Klaus Wagner") == "K**** ******"
    assert mask("Wagner, Klaus") == "W*****, *****"
    assert mask("Öztürk") == "Ö*****"


def test_a_column_of_bare_names_blocks_whatever_its_name():
    values = ["Wagner", "Klaus Wagner", "Wagner, K.", "Öztürk, Elif", "Müller", "Schmidt",
              "Becker, Anna", "Kowalczyk", "Yılmaz", "Hoffmann", "Krause", "Nguyen"]
    for column in ("x1", "kontakt"):
        res = resource("r", {"id": [str(i) for i in range(len(values))], column: values})
        rule, report = run(package(res))
        whole = [f for f in report.findings if f.row is None and f.field == column]
        assert len(whole) == 1, report.findings
        assert whole[0].severity is Severity.BLOCK
        assert whole[0].resource == "r"
        assert "person names" in whole[0].message and "12 of its 12 values" in whole[0].message
        assert whole[0].sample is None
        assert rule.stats["name_columns"] == {f"r.{column}": 12}
        assert not [f for f in report.findings if f.field == "id"]


def test_the_column_share_is_a_parameter():
    values = ["Wagner", "Spielplatz", "Müller", "Graffiti", "Schmidt", "Radweg", "Krause",
              "Laterne"]
    res = resource("r", {"x1": values})
    _, report = run(package(res))
    assert [f.field for f in report.findings if f.row is None] == ["x1"]  # 50 % >= 0.5
    _, report = run(package(res), column_share=0.6)
    assert [f for f in report.findings if f.row is None] == []


def test_no_raw_name_in_the_report_json():
    values = ["Wagner", "Öztürk, Elif", "Kowalczyk", "Hoffmann"]
    pkg = package(free_text(), resource("r", {"x1": values}))
    _, report = run(pkg)
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    for name in [*NAMES, *values, "Öztürk", "Klaus", "Elif", "Kowalczyk"]:
        assert name not in text


def test_decoys_give_no_finding():
    res = resource("r", {"t": ["Albert-Schweitzer-Schule", "Haltestelle Karl-Marx-Allee",
                               "Bäckerei Müller", "der Koch", "Sankt Martin", "Mercedes Benz",
                               "im August 2024", "Willy Brandt Platz"]})
    rule, report = run(package(res))
    assert report.findings == []
    assert rule.stats["cells"] == 0


def test_the_shipped_defect_reports_reporter_names_block_by_value():
    pkg = load_package(SAMPLES / "defect-reports")
    rule, report = run(pkg, columns=["reporter_name"])
    cells = [f for f in report.findings if f.row is not None]
    assert cells and all(f.field == "reporter_name" for f in cells)
    assert all(f.severity is Severity.BLOCK for f in report.findings)
    whole = [f for f in report.findings if f.row is None and f.field == "reporter_name"
             and "person names" in f.message]
    assert len(whole) == 1
    assert rule.stats["by_field"]["reports.reporter_name"] >= 500
    assert rule.stats["name_columns"]["reports.reporter_name"] >= 500


def test_a_column_of_names_makes_a_resource_personal():
    names = resource("r", {"x1": ["Wagner", "Öztürk", "Kowalczyk", "Hadžić", "Schulz",
                                  "Meier", "Krause", "Berisha"]})
    things = resource("s", {"x1": ["Linde", "Eiche", "Ahorn", "Birke", "Platane", "Buche"]})
    params = PersonalParams()
    assert personal_status(package(names), names, params) is Personal.YES
    assert personal_status(package(things), things, params) is Personal.UNDECLARED
