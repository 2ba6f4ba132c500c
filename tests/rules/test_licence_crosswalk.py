import pytest

from publisher.licences import DCAT_AP_DE_BASE, crosswalk, matches_of, normalise

OPEN_IDS = ["dl-zero-de/2.0", "dl-by-de/2.0", "cc-by/4.0", "cc-zero", "odby", "odcpddl",
            "odbl", "cc-by-sa/4.0", "officialWork"]


def canonical(value: object) -> str | None:
    licence = normalise(value)  # type: ignore[arg-type]
    return licence.id if licence else None


def test_rules_md_rows_and_blocked_rows_are_present():
    ids = crosswalk().ids()
    for licence_id in [*OPEN_IDS, "cc-by-nc/4.0", "cc-by-nd/4.0", "cc-by-nc-sa/4.0",
                       "cc-by-nc-nd/4.0", "dl-by-nc-de/1.0", "other-closed", "other-nc",
                       "other-commercial"]:
        assert licence_id in ids
    assert all(crosswalk().get(i).is_open for i in OPEN_IDS)  # type: ignore[union-attr]


@pytest.mark.parametrize(("value", "expected"), [
    # DCAT-AP.de id and full URI
    ("dl-by-de/2.0", "dl-by-de/2.0"),
    ("http://dcat-ap.de/def/licenses/dl-by-de/2.0", "dl-by-de/2.0"),
    ("https://dcat-ap.de/def/licenses/cc-zero", "cc-zero"),
    # SPDX
    ("DL-DE-ZERO-2.0", "dl-zero-de/2.0"),
    ("ODbL-1.0", "odbl"),
    ("PDDL-1.0", "odcpddl"),
    # Open Definition
    ("OGL-DE-BY-2.0", "dl-by-de/2.0"),
    ("ODC-PDDL-1.0", "odcpddl"),
    # CKAN
    ("cc-by", "cc-by/4.0"),
    ("odc-odbl", "odbl"),
    ("odc-by", "odby"),
    ("other-closed", "other-closed"),
    # licence address, with scheme, www., legalcode and trailing slash varying
    ("https://creativecommons.org/licenses/by/4.0/legalcode.de", "cc-by/4.0"),
    ("http://www.govdata.de/dl-de/by-2-0/", "dl-by-de/2.0"),
    # title and case
    ("Datenlizenz Deutschland – Namensnennung – Version 2.0", "dl-by-de/2.0"),
    ("cc-BY-sa-4.0", "cc-by-sa/4.0"),
    ("  officialwork ", "officialWork"),
    # unknown
    ("my-own-licence", None),
    ("", None),
])
def test_normalise_each_vocabulary(value: str, expected: str | None):
    assert canonical(value) == expected


def test_every_spelling_of_every_row_round_trips():
    for licence in crosswalk().licences:
        for spelling in licence.spellings():
            assert canonical(spelling) == licence.id, spelling
            assert canonical(spelling.upper()) == licence.id, spelling


@pytest.mark.parametrize(("entry", "expected"), [
    ({"name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/"}, "odbl"),
    ({"spdx": "CC0-1.0", "title": "whatever"}, "cc-zero"),
    ({"path": "https://www.govdata.de/dl-de/zero-2-0"}, "dl-zero-de/2.0"),
    ({"name": "unknown-thing", "path": "https://creativecommons.org/licenses/by-nd/4.0/"},
     "cc-by-nd/4.0"),
    ({"title": "CC BY 4.0"}, None),  # a title alone is not an id
    ({}, None),
])
def test_normalise_frictionless_entries(entry: dict[str, str], expected: str | None):
    assert canonical(entry) == expected


def test_contradictory_entry_yields_both_licences():
    found = matches_of({"name": "CC-BY-4.0",
                        "path": "https://creativecommons.org/licenses/by-nc/4.0/"})
    assert [licence.id for licence in found] == ["cc-by/4.0", "cc-by-nc/4.0"]


def test_licence_uri_kind_and_frictionless_entry():
    licence = normalise("DL-DE-BY-2.0")
    assert licence is not None
    assert licence.uri == DCAT_AP_DE_BASE + "dl-by-de/2.0"
    assert licence.kind == "attribution"
    assert licence.frictionless() == {
        "name": "OGL-DE-BY-2.0", "title": licence.title,
        "path": "https://www.govdata.de/dl-de/by-2-0", "spdx": "DL-DE-BY-2.0"}
    assert normalise("cc-by-nc-sa/4.0").uri is None  # type: ignore[union-attr]
    assert normalise("CC-BY-NC-4.0").kind == "non-commercial"  # type: ignore[union-attr]
    assert normalise("CC-BY-ND-4.0").kind == "no-derivatives"  # type: ignore[union-attr]
