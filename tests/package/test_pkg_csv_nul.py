"""A NUL character in a CSV file is refused when the package is loaded, naming
file, row (as frictionless counts them) and field; neither validation engine
would report it. UTF-16 and UTF-32 files, whose bytes are full of zeros, are
searched as text."""

from __future__ import annotations

from typing import Any

import pytest

from publisher.errors import InputError
from publisher.package.loader import load_package

HEADER = "id,name,status\n"


def refusal(make_package: Any, data: bytes, **extra: Any) -> str:
    root = make_package([{"name": "meldungen", "path": "m.csv", **extra}], {"m.csv": data})
    with pytest.raises(InputError) as err:
        load_package(root)
    assert err.value.exit_code == 2
    assert err.value.hint is not None and "UTF-16" in err.value.hint
    return err.value.message


@pytest.mark.parametrize(("text", "where"), [
    (HEADER + "1,a\x00b,offen\n", "row 2, field 'name'"),
    (HEADER + "1,a,offen\n2,b,zu\x00\n", "row 3, field 'status'"),
    (HEADER + "1,a,offen\n2,b,zu\x00", "row 3, field 'status'"),  # no line end
    (HEADER + '1,"zwei\nZeilen",offen\n\n3,"c\n\x00",zu\n', "row 4, field 'name'"),
    (HEADER + "1,a,b,\x00\n", "row 2, cell 4 (beyond the header)"),
    ("id,na\x00me,status\n1,a,b\n", "the header (row 1), label 2"),
])
def test_nul_names_file_row_and_field(make_package: Any, text: str, where: str) -> None:
    message = refusal(make_package, text.encode("utf-8"))
    assert message == f"resource 'meldungen': m.csv holds a NUL character (U+0000) in {where}"


def test_dialect_is_followed(make_package: Any) -> None:
    data = b"id;name;status\n1;'a;\x00';b\n"
    message = refusal(make_package, data, dialect={"delimiter": ";", "quoteChar": "'"})
    assert message.endswith("in row 2, field 'name'")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "latin-1", "cp1252", "shift_jis"])
def test_nul_is_found_in_any_declared_encoding(make_package: Any, encoding: str) -> None:
    name = "東京" if encoding == "shift_jis" else "Gärtner"  # trail bytes of East Asian codecs
    data = (HEADER + f"1,{name},offen\n2,x\x00,zu\n").encode(encoding)
    assert refusal(make_package, data, encoding=encoding).endswith("in row 3, field 'name'")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_zero_bytes_of_wide_encodings_are_no_nul(make_package: Any, encoding: str) -> None:
    root = make_package([{"name": "meldungen", "path": "m.csv", "encoding": encoding}],
                        {"m.csv": (HEADER + "1,Gärtner,offen\n").encode(encoding)})
    table = load_package(root).resources[0].table()
    assert table.loc[2, "name"] == "Gärtner"


def test_utf16_without_bom_declared_utf8_is_refused_with_a_hint(make_package: Any) -> None:
    message = refusal(make_package, (HEADER + "1,a,offen\n").encode("utf-16-le"))
    assert message.endswith("in the header (row 1), label 1")


def test_nul_found_far_beyond_the_first_chunk(make_package: Any) -> None:
    rows = "".join(f"{i},name {i},offen\n" for i in range(2, 120_000))
    message = refusal(make_package, (HEADER + rows + "120000,x\x00,zu\n").encode())
    assert message.endswith("in row 120000, field 'name'")
