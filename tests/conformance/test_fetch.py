"""`publisher conformance fetch` and `status` against a local server that plays the
publishers (tests/conformance/conftest.py): pinned by URL and SHA-256, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from publisher.cli import app
from publisher.conformance.pins import FILES, GITHUB_RAW
from publisher.conformance.status import directory_status
from tests.conformance.conftest import Publisher

runner = CliRunner()
SHAPES = next(p for p in FILES if p.local == "shapes/dcat-ap-SHACL-DE.ttl")


def _fetch(directory: Path, mirror: str, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["conformance", "fetch", "--dir", str(directory),
                                 "--mirror", mirror, *extra])
    return result.exit_code, result.output


def _left(directory: Path) -> list[str]:
    if not directory.exists():
        return []
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()
                  or p.name.startswith(".fetch-"))


def test_every_file_is_fetched_pinned_and_status_says_so(publisher_server: Publisher,
                                                         tmp_path: Path) -> None:
    target = tmp_path / "conformance"
    code, output = _fetch(target, publisher_server.url, "--json")
    assert code == 0, output
    data = json.loads(output)
    assert sorted(data["downloaded"]) == sorted(p.local for p in FILES)
    assert directory_status(target).complete
    assert _left(target) == sorted(p.local for p in FILES)  # nothing else left behind

    status = runner.invoke(app, ["conformance", "status", "--dir", str(target)])
    assert status.exit_code == 0, status.output
    assert status.output.count("  verified ") == len(FILES)
    assert "official DCAT-AP.de shapes are used" in status.output

    code, output = _fetch(target, publisher_server.url)  # again: nothing to download
    assert code == 0 and f"0 file(s) downloaded, {len(FILES)} already in place" in output


def test_the_addresses_are_the_publishers(publisher_server: Publisher) -> None:
    """Without a mirror the files come from the publishers' repositories at their
    pinned commits; the mirror only replaces the host."""
    urls = [p.url() for p in FILES]
    assert all(u.startswith(GITHUB_RAW) for u in urls)
    assert {u.split("/")[3] + "/" + u.split("/")[4] for u in urls} == {
        "GovDataOfficial/DCAT-AP.de-SHACL-Validation", "init-dcat-ap-de/DCAT-AP"}
    assert all(len(u.split("/")[5]) == 40 for u in urls)  # full commit ids
    assert SHAPES.url(publisher_server.url).removeprefix(publisher_server.url) == \
        SHAPES.url().removeprefix(GITHUB_RAW)


def test_the_mirror_may_come_from_the_setting(publisher_server: Publisher,
                                              tmp_path: Path) -> None:
    target = tmp_path / "conformance"
    result = runner.invoke(app, ["conformance", "fetch", "--dir", str(target)],
                           env={"PUBLISHER_CONFORMANCE_MIRROR": publisher_server.url})
    assert result.exit_code == 0, result.output
    assert directory_status(target).complete


def test_a_tampered_file_is_refused_and_nothing_is_left(publisher_server: Publisher,
                                                        tmp_path: Path) -> None:
    served = publisher_server.file(SHAPES)
    data = bytearray(served.read_bytes())
    data[100] ^= 0x01  # same size, other bytes
    served.write_bytes(bytes(data))
    target = tmp_path / "conformance"
    code, output = _fetch(target, publisher_server.url)
    assert code == 2
    assert "is not the pinned file" in output and "SHA-256" in output
    assert "dcat-ap-SHACL-DE.ttl" in output and "Traceback" not in output
    assert _left(target) == []  # not one file, not a temporary directory


def test_a_truncated_or_longer_file_is_refused(publisher_server: Publisher,
                                               tmp_path: Path) -> None:
    served = publisher_server.file(SHAPES)
    served.write_bytes(served.read_bytes() + b"\n# and more\n")
    code, output = _fetch(tmp_path / "c", publisher_server.url)
    assert code == 2 and "more than" in output and "bytes, pinned" in output


def test_a_failed_fetch_leaves_the_files_in_place_as_they_were(publisher_server: Publisher,
                                                               tmp_path: Path) -> None:
    target = tmp_path / "conformance"
    assert _fetch(target, publisher_server.url)[0] == 0
    (target / SHAPES.local).unlink()
    before = {p: (target / p).read_bytes() for p in _left(target)}
    publisher_server.file(SHAPES).write_bytes(b"not the shapes")
    code, output = _fetch(target, publisher_server.url)
    assert code == 2, output
    assert {p: (target / p).read_bytes() for p in _left(target)} == before
    status = runner.invoke(app, ["conformance", "status", "--dir", str(target)])
    assert status.exit_code == 1
    assert f"missing  {SHAPES.local}" in status.output
    assert "1 missing of 11 official files" in status.output


def test_a_missing_file_on_the_server(publisher_server: Publisher, tmp_path: Path) -> None:
    publisher_server.file(SHAPES).unlink()
    code, output = _fetch(tmp_path / "c", publisher_server.url)
    assert code == 2 and "answered HTTP 404" in output and "Traceback" not in output
    assert _left(tmp_path / "c") == []


def test_an_unreachable_server_is_a_clear_error(unused_port: int, tmp_path: Path) -> None:
    target = tmp_path / "conformance"
    code, output = _fetch(target, f"http://127.0.0.1:{unused_port}/", "--json")
    assert code == 2
    data = json.loads(output)
    assert data["ok"] is False and data["error"] == "TransientError"
    assert "cannot download" in data["message"] and "connection failed" in data["message"]
    assert _left(target) == []


def test_status_names_altered_files(publisher_server: Publisher, tmp_path: Path) -> None:
    target = tmp_path / "conformance"
    assert _fetch(target, publisher_server.url)[0] == 0
    with (target / SHAPES.local).open("ab") as fh:
        fh.write(b"# local edit\n")
    result = runner.invoke(app, ["conformance", "status", "--dir", str(target), "--json"])
    assert result.exit_code == 1
    states = {f["path"]: f["state"] for f in json.loads(result.output)["files"]}
    assert states[SHAPES.local] == "altered"
    assert sum(s == "verified" for s in states.values()) == len(FILES) - 1


def test_a_mirror_that_is_no_url_is_refused(tmp_path: Path) -> None:
    code, output = _fetch(tmp_path / "c", "ftp://example.org")
    assert code == 2 and "conformance_mirror" in output


def test_the_default_directory_is_in_the_home(tmp_path: Path) -> None:
    for unset in (None, ""):  # an empty variable is no setting
        result = runner.invoke(app, ["conformance", "status", "--json"],
                               env={"PUBLISHER_HOME": str(tmp_path / "home"),
                                    "PUBLISHER_CONFORMANCE_DIR": unset})
        assert result.exit_code == 1
        assert json.loads(result.output)["directory"] == str(tmp_path / "home" /
                                                             "conformance")
