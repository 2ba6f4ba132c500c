"""What every stage can read, settled when the package is loaded: a CSV file is
UTF-8 unless its resource declares an encoding, and the whole file must decode
(wherever the first bad byte lies); compressed and multipart resources, files
without a header row and dialect options the reader does not apply are
refused with a hint, rather than validated by one stage and misread by the next."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
from typing import Any

import pytest

from publisher.errors import InputError
from publisher.package.loader import load_package

HEADER = "id,name\n"
ROWS = "".join(f"{i},Name {i}\n" for i in range(1, 4000))  # about 50 kB of ASCII


def refusal(make_package: Any, resource: dict[str, Any], files: dict[str, bytes]) -> InputError:
    root = make_package([{"name": "meldungen", **resource}], files)
    with pytest.raises(InputError) as err:
        load_package(root)
    assert err.value.exit_code == 2
    return err.value


@pytest.mark.parametrize(("data", "where"), [
    ((HEADER + "1,Müller\n").encode("latin-1") + ROWS[6:].encode(), "(line 2, byte 12)"),
    ((HEADER + ROWS).encode() + "4000,Müller\n".encode("latin-1"), "(line 4001, byte "),
    ("\ufeff".encode() + (HEADER + ROWS).encode() + b"4000,\xff\n", "(line 4001, byte "),
    ((HEADER + ROWS).encode() + "4000,Mü".encode()[:-1], "(at its end)"),
])
def test_undeclared_non_utf8_is_refused_wherever_it_lies(make_package: Any, data: bytes,
                                                          where: str) -> None:
    err = refusal(make_package, {"path": "m.csv"}, {"m.csv": data})
    assert "the file cannot be decoded as utf-8 " + where in err.message
    assert err.hint is not None and "encoding" in err.hint


@pytest.mark.parametrize("data", [b"\x00\x00", b"\x00"])
def test_utf16_without_a_byte_order_mark_is_refused_not_an_internal_error(
        make_package: Any, data: bytes) -> None:
    err = refusal(make_package, {"path": "m.csv", "encoding": "utf-16"}, {"m.csv": data})
    assert "cannot be decoded as utf-16" in err.message


def test_declared_encoding_is_read_throughout(make_package: Any) -> None:
    data = (HEADER + ROWS).encode() + "4000,Müller\n".encode("latin-1")
    root = make_package([{"name": "meldungen", "path": "m.csv", "encoding": "latin-1"}],
                        {"m.csv": data})
    table = load_package(root).resources[0].table()
    assert table.loc[4001, "name"] == "Müller"


def test_multibyte_character_across_chunks_decodes(make_package: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.package.csvio import start as csvio

    monkeypatch.setattr(csvio, "_CHUNK", 7)  # split "ü" (two bytes) between reads
    root = make_package([{"name": "meldungen", "path": "m.csv"}],
                        {"m.csv": "id,name\n1,Müller\n2,Ärger\n".encode()})
    assert load_package(root).resources[0].table()["name"].tolist() == ["Müller", "Ärger"]


def _zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


CSV = (HEADER + "1,a\n").encode()


@pytest.mark.parametrize(("resource", "files", "what"), [
    ({"path": "m.csv.gz"}, {"m.csv.gz": gzip.compress(CSV)}, "('gz')"),
    ({"path": "m.csv.bz2"}, {"m.csv.bz2": bz2.compress(CSV)}, "('bz2')"),
    ({"path": "m.csv.xz"}, {"m.csv.xz": lzma.compress(CSV)}, "('xz')"),
    ({"path": "m.csv.zip"}, {"m.csv.zip": _zip("m.csv", CSV)}, "('zip')"),
    ({"path": "m.csv", "compression": "gz"}, {"m.csv": gzip.compress(CSV)}, "('gz')"),
    ({"path": "m.zip", "format": "csv", "innerpath": "m.csv"}, {"m.zip": _zip("m.csv", CSV)},
     "('zip')"),
])
def test_compressed_resources_are_refused(make_package: Any, resource: dict[str, Any],
                                          files: dict[str, bytes], what: str) -> None:
    err = refusal(make_package, resource, files)
    assert f"compressed resources {what} are not supported" in err.message
    assert err.hint == "decompress the file and give the path of the plain file"


@pytest.mark.parametrize(("data", "kind"), [
    (gzip.compress(CSV), "gzip"), (_zip("m.csv", CSV), "zip"), (bz2.compress(CSV), "bzip2"),
    (lzma.compress(CSV), "xz"),
])
def test_compressed_bytes_behind_a_csv_name_are_named(make_package: Any, data: bytes,
                                                      kind: str) -> None:
    err = refusal(make_package, {"path": "m.csv"}, {"m.csv": data})
    assert f"m.csv is {kind}-compressed; compressed resources are not supported" in err.message


def test_a_zipped_shapefile_is_not_a_compressed_resource(make_package: Any) -> None:
    root = make_package([{"name": "meldungen", "path": "m.shp.zip", "format": "shp"}],
                        {"m.shp.zip": _zip("x.txt", b"")})
    with pytest.raises(InputError) as err:
        load_package(root)
    assert "compressed" not in err.value.message  # the Shapefile reader's own complaint


def test_multipart_is_refused_with_a_hint(make_package: Any) -> None:
    err = refusal(make_package, {"path": ["a.csv", "b.csv"]}, {"a.csv": CSV, "b.csv": b"2,b\n"})
    assert "multipart resources (a list of paths) are not supported" in err.message
    assert err.hint == "join the parts into one file and give its path"


@pytest.mark.parametrize(("dialect", "message"), [
    ({"header": False}, "CSV files without a header row are not supported"),
    ({"headerRows": [2]}, "dialect headerRows other than [1] is not supported"),
    ({"headerRows": [1, 2]}, "dialect headerRows other than [1] is not supported"),
    ({"commentChar": "#"}, "dialect commentChar (comment lines) is not supported"),
    ({"commentRows": [1]}, "dialect commentRows (comment lines) is not supported"),
    ({"skipBlankRows": True}, "dialect skipBlankRows is not supported"),
    ({"controls": [{"type": "csv"}], "header": False}, "without a header row"),
])
def test_dialect_options_the_reader_does_not_apply_are_refused(
        make_package: Any, dialect: dict[str, Any], message: str) -> None:
    err = refusal(make_package, {"path": "m.csv", "dialect": dialect},
                  {"m.csv": b"# comment\n" + CSV})
    assert message in err.message
    assert err.hint


@pytest.mark.parametrize("dialect", [{"headerRows": [1]}, {"header": True},
                                     {"commentChar": None}, {"skipBlankRows": False}])
def test_dialect_defaults_spelled_out_are_fine(make_package: Any,
                                               dialect: dict[str, Any]) -> None:
    root = make_package([{"name": "meldungen", "path": "m.csv", "dialect": dialect}],
                        {"m.csv": CSV})
    assert load_package(root).resources[0].table()["name"].tolist() == ["a"]
