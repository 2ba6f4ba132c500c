"""Remote resource URLs: refused unless the host is allowlisted, and never a
connection to a private, loopback, link-local or multicast address, neither
directly nor through a redirect.

The test server listens on 127.0.0.1, which downloads refuse; tests that need
a download to go through pass `address_ok` (treating 127.0.0.1 alone as public)
to `download`, or monkeypatch `remote.is_public_address` for `load_package`.
"""

from __future__ import annotations

import ipaddress
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from publisher.cli import app
from publisher.errors import InputError, UnsafePathError
from publisher.package import remote
from publisher.package.loader import load_package
from publisher.package.paths import host_allowed
from publisher.package.remote import download, is_public_address
from publisher.settings import load_settings

CSV = "id,name\n1,Lindenpark\n"
SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}


class _Server:
    def __init__(self) -> None:
        self.hits: list[str] = []
        self.redirects: dict[str, str] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                if self.path in outer.redirects:
                    self.send_response(302)
                    self.send_header("Location", outer.redirects[self.path])
                    self.end_headers()
                    return
                if self.path == "/playgrounds.csv":
                    body = CSV.encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        self.base = f"http://127.0.0.1:{self.port}"


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


def _only_test_server_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """The test's stand-in for a public address: 127.0.0.1 and nothing else local."""
    return str(ip) == "127.0.0.1" or is_public_address(ip)


@pytest.mark.parametrize("address", [
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "127.0.0.2", "0.0.0.0",
    "169.254.169.254", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::",
    "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
])
def test_private_loopback_link_local_multicast_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"])
def test_global_addresses_are_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def test_allowlist_matches_names_and_subdomain_wildcards() -> None:
    hosts = ["opendata.example.org", "*.geodaten.example"]
    assert host_allowed("OpenData.Example.org", hosts)
    assert host_allowed("wfs.geodaten.example", hosts)
    assert not host_allowed("geodaten.example", hosts)
    assert not host_allowed("evilgeodaten.example", hosts)
    assert not host_allowed("opendata.example.org.evil.test", hosts)
    assert not host_allowed("example.org", [])


def test_host_not_allowlisted_is_refused_before_any_request(server: _Server,
                                                            tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError, match="not on the allowlist"):
        download(f"{server.base}/playgrounds.csv", tmp_path, resource="r",
                 address_ok=_only_test_server_public)
    assert server.hits == []


def test_loopback_is_refused_even_when_allowlisted(server: _Server, tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError, match="loopback"):
        download(f"{server.base}/playgrounds.csv", tmp_path, resource="r",
                 hosts=["127.0.0.1"])
    assert server.hits == []


def test_allowed_download_goes_through(server: _Server, tmp_path: Path) -> None:
    path = download(f"{server.base}/playgrounds.csv", tmp_path, resource="r",
                    hosts=["127.0.0.1"], address_ok=_only_test_server_public)
    assert path.read_text("utf-8") == CSV


def test_redirect_to_another_loopback_address_is_refused(server: _Server,
                                                         tmp_path: Path) -> None:
    server.redirects["/start.csv"] = f"http://127.0.0.2:{server.port}/playgrounds.csv"
    with pytest.raises(UnsafePathError, match=r"127\.0\.0\.2, a private, loopback"):
        download(f"{server.base}/start.csv", tmp_path, resource="r",
                 hosts=["127.0.0.1", "127.0.0.2"], address_ok=_only_test_server_public)
    assert server.hits == ["/start.csv"]


def test_redirect_to_cloud_metadata_is_refused(server: _Server, tmp_path: Path) -> None:
    server.redirects["/start.csv"] = "http://169.254.169.254/latest/meta-data/"
    with pytest.raises(UnsafePathError, match=r"169\.254\.169\.254"):
        download(f"{server.base}/start.csv", tmp_path, resource="r",
                 hosts=["127.0.0.1", "169.254.169.254"], address_ok=_only_test_server_public)


def test_redirect_to_a_host_off_the_allowlist_is_refused(server: _Server,
                                                         tmp_path: Path) -> None:
    server.redirects["/start.csv"] = f"http://localhost:{server.port}/playgrounds.csv"
    with pytest.raises(UnsafePathError, match="'localhost' is not on the allowlist"):
        download(f"{server.base}/start.csv", tmp_path, resource="r",
                 hosts=["127.0.0.1"], address_ok=_only_test_server_public)
    assert server.hits == ["/start.csv"]


def test_redirect_to_a_file_url_is_refused(server: _Server, tmp_path: Path) -> None:
    server.redirects["/start.csv"] = "file:///etc/passwd"
    with pytest.raises(UnsafePathError, match="scheme 'file'"):
        download(f"{server.base}/start.csv", tmp_path, resource="r",
                 hosts=["127.0.0.1"], address_ok=_only_test_server_public)


def test_redirects_within_the_allowlist_are_followed_and_bounded(server: _Server,
                                                                 tmp_path: Path) -> None:
    server.redirects["/a.csv"] = "/b.csv"
    server.redirects["/b.csv"] = "/playgrounds.csv"
    path = download(f"{server.base}/a.csv", tmp_path, resource="r", hosts=["127.0.0.1"],
                    address_ok=_only_test_server_public)
    assert path.read_text("utf-8") == CSV
    server.redirects["/loop.csv"] = "/loop.csv"
    with pytest.raises(InputError, match="redirected more than 5 times"):
        download(f"{server.base}/loop.csv", tmp_path, resource="r", hosts=["127.0.0.1"],
                 address_ok=_only_test_server_public)


def test_socket_check_catches_an_address_the_name_check_missed(
    server: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after DNS rebinding: the name resolved to a public address when checked,
    but the connection lands on loopback; the socket's peer is checked too."""
    monkeypatch.setattr(remote, "check_addresses", lambda url, where, ok: None)
    with pytest.raises(UnsafePathError, match="loopback"):
        download(f"{server.base}/playgrounds.csv", tmp_path, resource="r",
                 hosts=["127.0.0.1"])
    assert server.hits == []


def test_credentials_in_url_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError, match="credentials"):
        download("https://user:secret@opendata.example.org/a.csv", tmp_path, resource="r",
                 hosts=["opendata.example.org"])


def _package(root: Path, url: str) -> Path:
    root.mkdir(parents=True)
    descriptor = {"name": "remote", "resources": [
        {"name": "playgrounds", "path": url, "format": "csv", "schema": SCHEMA}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def test_loader_needs_allow_remote_and_the_allowlist(
    server: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _package(tmp_path / "pkg", f"{server.base}/playgrounds.csv")
    with pytest.raises(UnsafePathError, match="not on the allowlist"):
        load_package(root, allow_remote=True, workdir=tmp_path / "w1")
    with pytest.raises(UnsafePathError, match="loopback"):
        load_package(root, allow_remote=True, workdir=tmp_path / "w2",
                     remote_hosts=["127.0.0.1"])
    monkeypatch.setattr(remote, "is_public_address", _only_test_server_public)
    package = load_package(root, allow_remote=True, workdir=tmp_path / "w3",
                           remote_hosts=["127.0.0.1"])
    assert package.resources[0].table()["name"].tolist() == ["Lindenpark"]


def _pipeline(tmp_path: Path, source: Path, hosts: list[str]) -> Path:
    spec = {"name": "remote-case", "source": str(source), "policy": "de-open-data",
            "allow_remote": True, "remote_hosts": hosts, "steps": [],
            "target": {"type": "local"},
            "dataset": {"name": "remote-case", "title": "Spielplätze",
                        "description": "Entfernte Ressource.", "publisher": "Musterstadt"}}
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def test_pipeline_allowlist_still_refuses_loopback(server: _Server, tmp_path: Path) -> None:
    server.redirects["/start.csv"] = f"http://127.0.0.2:{server.port}/playgrounds.csv"
    root = _package(tmp_path / "pkg", f"{server.base}/start.csv")
    pipeline = _pipeline(tmp_path, root, ["127.0.0.1", "127.0.0.2"])
    result = CliRunner().invoke(app, ["run", str(pipeline), "--json", "--home",
                                      str(tmp_path / "home")])
    assert result.exit_code == 2, result.output
    run = json.loads(result.output)["runs"][0]
    assert "private, loopback" in run["message"] and run["stage"] == "load"
    assert server.hits == []


def test_pipeline_schema_refuses_a_bad_allowlist_entry(tmp_path: Path) -> None:
    root = _package(tmp_path / "pkg", "https://opendata.example.org/a.csv")
    pipeline = _pipeline(tmp_path, root, ["https://opendata.example.org/"])
    result = CliRunner().invoke(app, ["run", str(pipeline), "--json", "--home",
                                      str(tmp_path / "home")])
    assert result.exit_code == 2
    assert "remote_hosts" in json.loads(result.output)["runs"][0]["message"]


def test_settings_read_the_allowlist_from_the_environment(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLISHER_REMOTE_HOSTS", '["opendata.example.org", "*.example.net"]')
    assert load_settings().remote_hosts == ["opendata.example.org", "*.example.net"]
