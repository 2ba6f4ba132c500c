from __future__ import annotations

import os
from pathlib import Path

import pytest

from publisher.errors import InputError, UnsafePathError
from publisher.package.paths import resolve_resource_path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    (root / "data").mkdir(parents=True)
    (root / "data" / "reports.csv").write_text("id\n1\n", encoding="utf-8")
    (tmp_path / "secret.csv").write_text("geheim\n", encoding="utf-8")
    return root


def test_relative_path_resolves_inside_root(root: Path) -> None:
    found = resolve_resource_path(root, "data/reports.csv", resource="reports", allow_remote=False)
    assert found == (root / "data" / "reports.csv").resolve()


def test_dotdot_message_names_resource_and_path(root: Path) -> None:
    with pytest.raises(UnsafePathError) as err:
        resolve_resource_path(root, "../secret.csv", resource="reports", allow_remote=False)
    assert "resource 'reports': path '../secret.csv' leaves the package root" in str(err.value)


@pytest.mark.parametrize(
    "path",
    [
        "../secret.csv",
        "data/../../secret.csv",
        "./../secret.csv",
        "/etc/passwd",
        "//server/share/secret.csv",
        "\\\\server\\share\\secret.csv",
        "C:\\secret.csv",
        "C:/secret.csv",
        "c:secret.csv",
        "data\\..\\..\\secret.csv",
        "data/reports.csv\0.png",
    ],
)
def test_unsafe_paths_are_refused(root: Path, path: str) -> None:
    with pytest.raises(UnsafePathError) as err:
        resolve_resource_path(root, path, resource="reports", allow_remote=True)
    assert "resource 'reports'" in str(err.value)


def test_symlink_out_of_root_is_refused(root: Path, tmp_path: Path) -> None:
    os.symlink(tmp_path / "secret.csv", root / "data" / "link.csv")
    with pytest.raises(UnsafePathError, match="leaves the package root"):
        resolve_resource_path(root, "data/link.csv", resource="reports", allow_remote=False)


def test_symlinked_directory_out_of_root_is_refused(root: Path, tmp_path: Path) -> None:
    os.symlink(tmp_path, root / "outside")
    with pytest.raises(UnsafePathError, match=r"'outside/secret\.csv'"):
        resolve_resource_path(root, "outside/secret.csv", resource="reports", allow_remote=False)


def test_symlink_inside_root_is_allowed(root: Path) -> None:
    os.symlink(root / "data" / "reports.csv", root / "alias.csv")
    found = resolve_resource_path(root, "alias.csv", resource="reports", allow_remote=False)
    assert found == (root / "data" / "reports.csv").resolve()


def test_root_given_through_a_symlink_still_works(root: Path, tmp_path: Path) -> None:
    os.symlink(root, tmp_path / "pkg-link")
    found = resolve_resource_path(
        tmp_path / "pkg-link", "data/reports.csv", resource="reports", allow_remote=False
    )
    assert isinstance(found, Path) and found.name == "reports.csv"


def test_http_url_refused_unless_allowed(root: Path) -> None:
    url = "https://example.org/reports.csv"
    with pytest.raises(UnsafePathError, match="remote"):
        resolve_resource_path(root, url, resource="reports", allow_remote=False)
    with pytest.raises(UnsafePathError, match="not on the allowlist"):
        resolve_resource_path(root, url, resource="reports", allow_remote=True)
    found = resolve_resource_path(root, url, resource="reports", allow_remote=True,
                                  hosts=["example.org"])
    assert found == url


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/a.csv", "data:text/csv,a%0A1", "FILE:/x"]
)
def test_other_schemes_always_refused(root: Path, url: str) -> None:
    with pytest.raises(UnsafePathError, match="never allowed"):
        resolve_resource_path(root, url, resource="reports", allow_remote=True)


def test_missing_file_is_input_error_naming_resource_and_path(root: Path) -> None:
    with pytest.raises(InputError) as err:
        resolve_resource_path(root, "data/none.csv", resource="reports", allow_remote=False)
    assert not isinstance(err.value, UnsafePathError)
    assert "resource 'reports'" in str(err.value) and "'data/none.csv'" in str(err.value)


def test_directory_is_not_a_file(root: Path) -> None:
    with pytest.raises(InputError, match="not a file"):
        resolve_resource_path(root, "data", resource="reports", allow_remote=False)
