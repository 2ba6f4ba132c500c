import pandas as pd
import pytest
from pydantic import ValidationError

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
