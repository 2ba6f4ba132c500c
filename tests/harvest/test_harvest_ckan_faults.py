"""The harvester calls CKAN through the project's one client
(publisher.ckan.client), with its rules: a failure is transient or terminal by
HTTP status, only reads are retried, and only a bounded number of times. A
scripted HTTP server stands in for CKAN here, for the faults only; the real
CKAN of the stack is harvested in test_harvest_ckan_stack.py."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from publisher.ckan.client import CkanClient
from publisher.ckan.retry import RetryPolicy
from publisher.errors import TerminalError, TransientError
from publisher.harvest.ckan_sink import CkanSink
from publisher.harvest.ckan_source import CkanSource

FAST = RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0)
BUSY = (503, "<html>busy</html>")
Script = dict[str, list[tuple[int, str]]]


def ok(result: Any) -> tuple[int, str]:
    return 200, json.dumps({"success": True, "result": result})


@pytest.fixture
def fake_ckan() -> Iterator[tuple[str, Script, list[str]]]:
    """A server answering each action from its script in turn (the last answer
    repeats), and the actions it was called with."""
    script: Script = {}
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            action = self.path.split("?")[0].rsplit("/", 1)[-1]
            seen.append(action)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            answers = script.get(action) or [(404, "<html>no</html>")]
            status, body = answers.pop(0) if len(answers) > 1 else answers[0]
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if body.startswith("{")
                             else "text/html")
            self.end_headers()
            self.wfile.write(body.encode())

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            return None

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script, seen
    httpd.shutdown()


def _source(url: str) -> CkanSource:
    return CkanSource(url, client=CkanClient(url, None, retry=FAST))


def test_a_read_that_fails_for_a_moment_is_retried(fake_ckan: tuple[str, Script, list[str]]
                                                   ) -> None:
    url, script, seen = fake_ckan
    script["package_list"] = [BUSY, (429, "<html>slow down</html>"), ok(["a", "b"])]
    assert _source(url).names() == {"a", "b"}
    assert seen == ["package_list"] * 3


def test_retries_are_bounded(fake_ckan: tuple[str, Script, list[str]]) -> None:
    url, script, seen = fake_ckan
    script["package_search"] = [BUSY]
    with pytest.raises(TransientError, match="HTTP 503"):
        list(_source(url).changed(None))
    assert seen == ["package_search"] * FAST.attempts


def test_a_4xx_is_terminal_and_not_retried(fake_ckan: tuple[str, Script, list[str]]) -> None:
    url, script, seen = fake_ckan
    script["package_list"] = [(400, "<html>bad request</html>")]
    with pytest.raises(TerminalError, match="HTTP 400"):
        _source(url).names()
    assert seen == ["package_list"]


def test_a_dataset_gone_or_private_is_none(fake_ckan: tuple[str, Script, list[str]]) -> None:
    url, script, seen = fake_ckan
    script["package_show"] = [
        (404, json.dumps({"success": False, "error": {"__type": "Not Found Error",
                                                      "message": "Not found"}})),
        (403, json.dumps({"success": False, "error": {"__type": "Authorization Error",
                                                      "message": "Access denied"}}))]
    source = _source(url)
    assert source.show("gone") is None
    assert source.show("private") is None
    assert seen == ["package_show", "package_show"]  # an answer, not a fault: no retry


def test_the_sink_never_repeats_a_write(fake_ckan: tuple[str, Script, list[str]]) -> None:
    url, script, seen = fake_ckan
    script["package_show"] = [ok({"id": "p1", "name": "ds", "state": "active"})]
    script["package_delete"] = [BUSY]
    sink = CkanSink(CkanClient(url, "token", retry=FAST), "land")
    with pytest.raises(TransientError, match="HTTP 503"):
        sink.delete("ds")
    assert seen == ["package_show", "package_delete"]  # the delete was sent once
