from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.package.archive import extract_zip
from publisher.package.loader import load_package

CASES = Path(__file__).resolve().parents[1] / "cases" / "package"


def zip_dir(source: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(source).as_posix())
    return target


def zip_entries(target: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return target


def test_zip_package_loads_like_the_directory(tmp_path: Path) -> None:
    archive = zip_dir(CASES / "city", tmp_path / "city.zip")
    package = load_package(archive, workdir=tmp_path / "work")
    assert [r.name for r in package.resources] == [
        "haltestellen",
        "baustellen",
        "spielplaetze",
        "bezirke",
        "einwohner",
    ]
    assert package.root.is_relative_to((tmp_path / "work").resolve())
    assert package.resource("haltestellen").table().index.tolist() == [2, 3, 4, 5]


def test_zip_with_single_top_folder_loads(tmp_path: Path) -> None:
    archive = zip_dir(CASES / "yaml_pkg", tmp_path / "baeume.zip", prefix="baeume/")
    package = load_package(str(archive), workdir=tmp_path / "work")
    assert package.resources[0].name == "baeume"


def test_zip_without_descriptor_is_refused(tmp_path: Path) -> None:
    archive = zip_entries(tmp_path / "x.zip", {"data/a.csv": b"a\n1\n"})
    with pytest.raises(InputError, match=r"no datapackage\.json"):
        load_package(archive, workdir=tmp_path / "work")


@pytest.mark.parametrize(
    "name", ["../evil.csv", "data/../../evil.csv", "/tmp/evil.csv", "C:/evil.csv", "..\\evil.csv"]
)
def test_zip_slip_is_refused_and_nothing_written(tmp_path: Path, name: str) -> None:
    archive = zip_entries(tmp_path / "slip.zip", {"datapackage.json": b"{}", name: b"boom"})
    dest = tmp_path / "out" / "inner"
    with pytest.raises(InputError, match="outside the extraction directory"):
        extract_zip(archive, dest)
    assert not (tmp_path / "out" / "evil.csv").exists()
    assert not dest.exists()


def test_zip_with_symlink_entry_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "link.zip"
    info = zipfile.ZipInfo("data/link.csv")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("datapackage.json", b"{}")
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(InputError, match="symbolic link"):
        load_package(archive, workdir=tmp_path / "work")


def test_too_many_entries(tmp_path: Path) -> None:
    archive = zip_entries(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(6)})
    with pytest.raises(InputError, match="6 entries, more than the limit of 5"):
        extract_zip(archive, tmp_path / "out", max_entries=5)


def test_total_size_limit(tmp_path: Path) -> None:
    archive = zip_entries(tmp_path / "big.zip", {"a.txt": b"a" * 600, "b.txt": b"b" * 600})
    with pytest.raises(InputError, match="more than the limit of 1000 bytes"):
        extract_zip(archive, tmp_path / "out", max_total_bytes=1000)


def test_zip_bomb_ratio_is_refused_by_default(tmp_path: Path) -> None:
    archive = zip_entries(tmp_path / "bomb.zip", {"zeros.csv": bytes(4 * 1024**2)})
    with pytest.raises(InputError, match="zip bomb"):
        extract_zip(archive, tmp_path / "out")


def test_not_a_zip(tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"this is not a zip archive")
    with pytest.raises(InputError, match="not a readable zip archive"):
        load_package(fake, workdir=tmp_path / "work")


def test_safe_zip_extracts_files(tmp_path: Path) -> None:
    archive = zip_entries(tmp_path / "ok.zip", {"data/a.csv": b"a\n1\n", "readme.txt": b"hi"})
    dest = extract_zip(archive, tmp_path / "out")
    assert (dest / "data" / "a.csv").read_bytes() == b"a\n1\n"
