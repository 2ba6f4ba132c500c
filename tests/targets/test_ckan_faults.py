"""Fault cases with a fake CKAN that can be told to fail: retries only for
idempotent calls, a create retried only after package_show shows it absent,
a revise conflict re-planned, and the error classification of the client."""

from __future__ import annotations

import http.server
import itertools
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ckanapi
import pytest
from ckan_helpers import TABLES_SMALL, stage_files

from publisher.ckan.client import CkanClient, Traffic
from publisher.ckan.retry import RetryPolicy, with_retries
from publisher.errors import TerminalError, TransientError
from publisher.targets.ckan import CkanOptions, CkanTarget
from publisher.targets.ckan_plan import KEY_FIELD, make_plan

FAST = RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0)
SCHEMA_FIELDS = ["title", "notes", "license_id", "license_attribution_by_text", "theme",
                 "contact", "contact_email", "publisher", "frequency", "language",
                 "applicable_legislation", "contributor_id", "political_geocoding_uri",
                 "political_geocoding_level_uri", "legal_basis", "categorization",
                 "geographic_toponym"]
RESOURCE_FIELDS = ["url", "name", "description", "format", "license",
                   "license_attribution_by_text", "checksum", "size"]


class FakeCkan:
    """Just enough of CkanClient; `fail` maps an action to errors raised in turn."""

    def __init__(self) -> None:
        self.url = "http://ckan.fake"
        self.retry = FAST
        self.traffic = Traffic()
        self.packages: dict[str, dict[str, Any]] = {}
        self.ids = itertools.count(100)
        self.fail: dict[str, list[Exception]] = {}
        self.land_before_fail: set[str] = set()
        self.files: list[dict[str, bytes]] = []  # the file parts of each multipart call

    def call(self, action: str, *, idempotent: bool | None = None, files: Any = None,
             **data: Any) -> Any:
        self.traffic.actions.append(action)
        if files:
            self.files.append({k: fh.read() for k, (_, fh) in files.items()})
            data = {k: json.loads(v) for k, v in data.items()}  # multipart: JSON strings
        errors = self.fail.get(action)
        if errors:
            if action in self.land_before_fail:
                getattr(self, action)(**data)  # the call lands, then the answer is lost
            raise errors.pop(0)
        return getattr(self, action)(**data)

    def show(self, action: str, **data: Any) -> Any:
        try:
            return self.call(action, **data)
        except ckanapi.NotFound:
            return None

    def status_show(self) -> Any:
        return {"ckan_version": "2.11", "extensions": ["scheming_datasets"]}

    def scheming_dataset_schema_show(self, type: str) -> Any:
        return {"dataset_fields": [{"field_name": f} for f in SCHEMA_FIELDS],
                "resource_fields": [{"field_name": f} for f in RESOURCE_FIELDS]}

    def license_list(self) -> Any:
        return [{"id": "cc-by", "url": "https://creativecommons.org/licenses/by/4.0/"}]

    def organization_show(self, id: str) -> Any:
        return {"id": "org-1", "name": id}

    def package_show(self, id: str) -> Any:
        for pkg in self.packages.values():
            if id in (pkg["id"], pkg["name"]):
                return pkg
        raise ckanapi.NotFound("not found")

    def package_create(self, name: str, resources: list[dict[str, Any]], **fields: Any) -> Any:
        rs = [{**r, "id": f"r{i}"} for i, r in enumerate(resources)]
        self.packages[name] = {"id": f"id-{name}", "name": name, "state": "active",
                               "metadata_modified": "t1", **fields, "resources": rs}
        return self.packages[name]

    def package_revise(self, match: dict[str, Any], update: dict[str, Any],
                       filter: list[str] | None = None) -> Any:
        pkg = next(p for p in self.packages.values() if p["id"] == match["id"])
        if match.get("metadata_modified", pkg["metadata_modified"]) != pkg["metadata_modified"]:
            raise ckanapi.ValidationError({"match": ["metadata_modified"]})
        assert ("resources" in update) == (filter == ["-resources"])
        pkg.update(update)
        for res in pkg["resources"]:
            res.setdefault("id", f"r{next(self.ids)}")
        pkg["metadata_modified"] += "+"
        return {"package": pkg}


def _target(fake: FakeCkan, tmp_path: Path) -> CkanTarget:
    target = CkanTarget(fake, CkanOptions(organisation="org"), storage=None)  # type: ignore[arg-type]
    return target


def test_retries_only_idempotent_calls() -> None:
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise TransientError("503")
        return "ok"

    assert with_retries(flaky, idempotent=True, policy=FAST, sleep=lambda s: None) == "ok"
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(TransientError):
        with_retries(flaky, idempotent=False, policy=FAST, sleep=lambda s: None)
    assert len(calls) == 1


def test_terminal_errors_are_never_retried() -> None:
    calls: list[int] = []

    def refuses() -> None:
        calls.append(1)
        raise TerminalError("no")

    with pytest.raises(TerminalError):
        with_retries(refuses, idempotent=True, policy=FAST, sleep=lambda s: None)
    assert calls == [1]


def test_create_is_retried_after_package_show_shows_it_absent(tmp_path: Path) -> None:
    fake = FakeCkan()
    fake.fail["package_create"] = [TransientError("timeout")]
    result = _target(fake, tmp_path).publish(stage_files(tmp_path / "s", "ds", TABLES_SMALL))
    assert result.changed
    creates = [a for a in fake.traffic.actions if a in ("package_create", "package_show")]
    assert creates == ["package_show", "package_create", "package_show", "package_create"]
    # then one revise gives the private, empty dataset its files and makes it public
    assert fake.traffic.actions[-1] == "package_revise"
    assert fake.packages["ds"]["private"] is False


def test_create_that_landed_is_not_repeated(tmp_path: Path) -> None:
    fake = FakeCkan()
    fake.fail["package_create"] = [TransientError("answer lost")]
    fake.land_before_fail.add("package_create")
    _target(fake, tmp_path).publish(stage_files(tmp_path / "s", "ds", TABLES_SMALL))
    assert fake.traffic.actions.count("package_create") == 1
    assert list(fake.packages) == ["ds"]


def test_revise_conflict_is_read_again_and_replanned(tmp_path: Path) -> None:
    fake = FakeCkan()
    target = _target(fake, tmp_path)
    target.publish(stage_files(tmp_path / "s", "ds", TABLES_SMALL))
    request = stage_files(tmp_path / "s", "ds", TABLES_SMALL)
    request.metadata["title"] = "Neu"
    # someone else edits between our read and our revise
    original = fake.package_show

    def racing_show(id: str) -> Any:
        pkg = original(id)
        if "raced" not in pkg:  # the first read: someone saves right after it
            seen = {**pkg}
            pkg["metadata_modified"] += "*"
            pkg["raced"] = True
            return seen
        return pkg

    fake.package_show = racing_show  # type: ignore[method-assign]
    fake.traffic.actions.clear()
    result = target.publish(request)
    assert result.changed
    assert fake.traffic.actions.count("package_revise") == 2
    assert fake.packages["ds"]["title"] == "Neu"


def test_plan_matches_resources_by_key_and_hash() -> None:
    from publisher.targets.ckan_plan import DesiredResource

    def want(key: str, digest: str) -> DesiredResource:
        return DesiredResource(key, Path(key), digest, 1,
                               {"name": key, "hash": f"sha256:{digest}", KEY_FIELD: key})

    current = {"id": "p", "state": "active", "metadata_modified": "t", "title": "T",
               "resources": [
                   {"id": "1", KEY_FIELD: "a", "name": "a", "hash": "sha256:aa"},
                   {"id": "2", KEY_FIELD: "b", "name": "b", "hash": "sha256:bb"},
                   {"id": "3", KEY_FIELD: "gone", "name": "gone", "hash": "sha256:cc"},
                   {"id": "4", "name": "added by hand"}]}
    plan = make_plan("p", current, {"title": "T"},
                     [want("a", "aa"), want("b", "b2"), want("new", "dd")])
    assert plan.action == "none"
    assert [(r.key, r.action) for r in plan.resources] == [
        ("a", "keep"), ("b", "replace"), ("new", "add"), ("gone", "delete")]
    assert plan.kept_foreign == 1
    assert plan.changed


def test_plan_treats_empty_values_and_tag_dicts_as_equal() -> None:
    current = {"id": "p", "state": "active", "title": "T", "legal_basis": None,
               "tags": [{"name": "b", "id": "x"}, {"name": "a", "id": "y"}], "resources": []}
    plan = make_plan("p", current, {"title": "T", "legal_basis": "",
                                    "tags": [{"name": "a"}, {"name": "b"}]}, [])
    assert not plan.changed


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = 503 if "status_show" in self.path or "package_create" in self.path else 400
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"<html>busy</html>")

        def log_message(self, *args: Any) -> None:
            return None

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()


def test_client_retries_5xx_for_reads_but_not_for_creates(server: tuple[str, list[str]]) -> None:
    url, seen = server
    client = CkanClient(url, "key", retry=FAST)
    with pytest.raises(TransientError, match="503"):
        client.call("status_show")
    assert len(seen) == 3
    seen.clear()
    with pytest.raises(TransientError):
        client.call("package_create", name="x")
    assert len(seen) == 1


def test_client_calls_an_unexplained_4xx_terminal(server: tuple[str, list[str]]) -> None:
    url, seen = server
    with pytest.raises(TerminalError, match="HTTP 400"):
        CkanClient(url, "key", retry=FAST).call("package_show", id="x")
    assert len(seen) == 1


