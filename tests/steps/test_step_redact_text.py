import pandas as pd
import pytest
from pydantic import ValidationError

from publisher.report import Report
from publisher.rules.person_name_in_text import PersonNameInText, PersonNameParams
from publisher.steps.redact_text import RedactTextParams
from tests.steps.helpers import pkg, run, table

TEXTS = ["Laterne defekt. Kontakt: anna.meier@example.de",
         "Rückruf unter +49 341 4935896 bitte",
         "Glasscherben im Sandkasten", ""]


def test_identifiers_in_free_text_become_labels():
    res = table("reports", {"text": TEXTS, "kategorie": ["a", "b", "c", "d"]})
    outcome = run("redact-text", pkg(res), columns=["text"])
    out = res.table()["text"].tolist()
    assert out[0] == "Laterne defekt. Kontakt: [EMAIL]"
    assert "[PHONE]" in out[1] and "4935896" not in out[1]
    assert out[2] == TEXTS[2]
    assert outcome.stats["identifiers_redacted"] == {"email": 1, "phone": 1}
    assert outcome.stats["cells_redacted"] == 2
    assert "anna" not in repr(outcome.stats)


def test_kinds_and_labels_narrow_and_rename():
    res = table("reports", {"text": TEXTS})
    run("redact-text", pkg(res), kinds=["email"], labels={"email": "[E-MAIL]"})
    out = res.table()["text"].tolist()
    assert out[0].endswith("[E-MAIL]") and "4935896" in out[1]


def test_every_text_column_by_default():
    res = table("reports", {"a": TEXTS[:2], "b": list(reversed(TEXTS[:2]))})
    run("redact-text", pkg(res))
    assert not res.table().apply(lambda c: c.str.contains("@")).any(axis=None)
    assert isinstance(res.table(), pd.DataFrame)


def test_unknown_kind_is_rejected():
    with pytest.raises(ValidationError):
        RedactTextParams.model_validate({"kinds": ["passport"]})


def test_person_names_become_labels_and_the_recheck_passes():
    texts = ["Herr Becker hat angerufen.", "Bitte reparieren.\nViele Grüße,\nElif Öztürk",
             "Schaden an der Albert-Schweitzer-Schule", "gemeldet von Klaus Wagner"]
    res = table("reports", {"text": texts})
    package = pkg(res)
    outcome = run("redact-text", package, kinds=["person-name"])
    assert res.table()["text"].tolist() == [
        "Herr [NAME] hat angerufen.", "Bitte reparieren.\nViele Grüße,\n[NAME]",
        "Schaden an der Albert-Schweitzer-Schule", "gemeldet von [NAME]"]
    assert outcome.stats["identifiers_redacted"] == {"person-name": 3}
    rule = PersonNameInText(PersonNameParams())
    assert Report(stage="recheck", findings=list(rule.check(package))).findings == []


def test_a_disguised_phone_number_is_cut_from_the_original_text() -> None:
    # issue 24: fullwidth digits and a zero-width space inside the number; the match
    # is found in the normalised text and cut from the original one
    cell = "Rückruf unter ０１７６ ４７\u200b６３７０９６, danke"
    res = table("reports", {"text": [cell, "Glas im Sandkasten"]})
    outcome = run("redact-text", pkg(res), columns=["text"])
    out = res.table()["text"].tolist()
    assert out == ["Rückruf unter [PHONE], danke", "Glas im Sandkasten"]
    assert not any(ch.isdigit() for ch in out[0])
    assert outcome.stats["identifiers_redacted"] == {"phone": 1}
