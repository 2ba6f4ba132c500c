"""detect() and redact(): input types, overlaps, nulls."""

import pandas as pd
import pyarrow as pa

from publisher.detect import MATCH_COLUMNS, detect, redact

TEXTS = ["Kontakt: g.hoffmann@mail.example.de oder 0176 47637096.",
         "nichts Persönliches",
         None,
         "IBAN DE89 3704 0044 0532 0130 00, Steuer-ID 36 574 261 809"]


def test_detect_all_kinds_by_default_sorted_by_row_and_start():
    found = detect(TEXTS)
    assert list(found.columns) == list(MATCH_COLUMNS)
    assert list(zip(found["kind"], found["row"], strict=True)) == [
        ("email", 0), ("phone", 0), ("iban", 3), ("de-tax-id", 3)]


def test_detect_accepts_arrow_series_and_list_alike():
    expected = detect(TEXTS).to_dict("records")
    assert detect(pa.array(TEXTS)).to_dict("records") == expected
    assert detect(pa.chunked_array([TEXTS[:2], TEXTS[2:]])).to_dict("records") == expected
    assert detect(pd.Series(TEXTS, index=[10, 11, 12, 13])).to_dict("records") == expected


def test_no_match_gives_empty_frame_with_columns():
    found = detect(["a", None, ""], ["email"])
    assert found.empty and list(found.columns) == list(MATCH_COLUMNS)


def test_overlaps_resolved_longest_then_priority():
    # "+43 1234 567890" is a phone number; "1234 567890" inside it looks like an SVNR.
    text = ["Ruf +43 1234 567890 an"]
    both = detect(text, ["phone", "at-svnr"], resolve_overlaps=False)
    resolved = detect(text, ["phone", "at-svnr"])
    assert resolved["kind"].tolist() == ["phone"]
    assert len(both) >= len(resolved)


def test_redact_list_arrow_and_series_keep_their_type():
    out = redact(TEXTS)
    assert out == ["Kontakt: [EMAIL] oder [PHONE].", "nichts Persönliches", None,
                   "IBAN [IBAN], Steuer-ID [TAX-ID]"]
    arrow = redact(pa.array(TEXTS))
    assert isinstance(arrow, pa.Array) and arrow.to_pylist() == out
    series = pd.Series(TEXTS, index=[5, 6, 7, 8], name="text", dtype=object)
    red = redact(series)
    assert isinstance(red, pd.Series)
    assert red.index.tolist() == [5, 6, 7, 8] and red.name == "text"
    assert red.tolist() == out


def test_redact_only_named_kinds_and_custom_labels():
    out = redact(TEXTS, ["phone"], labels={"phone": "***"})
    assert out[0] == "Kontakt: g.hoffmann@mail.example.de oder ***."
    assert out[3] == TEXTS[3]


def test_redact_untouched_column_is_returned_as_is():
    column = pa.array(["keine Daten", None])
    assert redact(column) is column


def test_non_text_column_is_scanned_as_text():
    found = detect(pd.Series([36574261809, 12]), ["de-tax-id"])
    assert found["row"].tolist() == [0]


def test_a_name_gives_way_to_an_overlapping_address_whatever_its_length():
    text = ["Laterne defekt Ecke Wiesenstr. 5, bitte reparieren"]
    both = detect(text, ["person-name", "street-address"], resolve_overlaps=False)
    resolved = detect(text, ["person-name", "street-address"])
    assert resolved["kind"].tolist() == ["street-address"]
    assert resolved["value"].tolist() == ["Wiesenstr. 5"]
    assert len(both) >= len(resolved)
