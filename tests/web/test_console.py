"""The steward console, in process: login (token form or bearer), CSRF, runs
with stage, status, timing and findings, the maps' raw layers behind the
login only, accepting a remaining warning, withdrawing and purging."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from publisher.api.app import create_app
from publisher.pipeline.steward_accept import accept, acceptance_file, steward_acceptances
from publisher.settings import Settings
from tests.web.conftest import BASE, CHARGING, GRID, HTML, ROOT, TOKEN, TREES, web_settings


def _login(client: TestClient) -> str:
    answer = client.post("/console/login", data={"token": TOKEN}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console"
    page = client.get("/console")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


@pytest.fixture
def steward(web: TestClient) -> tuple[TestClient, str]:
    return web, _login(web)


def test_console_needs_a_login(web: TestClient) -> None:
    answer = web.get("/console", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/login"
    assert web.post("/console/datasets/x/withdraw", data={"csrf": "x"}).status_code == 401
    wrong = web.post("/console/login", data={"token": "not-the-token"})
    assert wrong.status_code == 401 and "Das Token ist nicht gültig." in wrong.text
    login = web.post("/console/login", data={"token": TOKEN}, follow_redirects=False)
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert TOKEN not in cookie
    page = web.get("/console")
    assert page.status_code == 200 and page.headers["cache-control"] == "private, no-store"
    # scripts may send the token itself
    other = TestClient(web.app, base_url=BASE)
    bearer = other.get("/console", headers={"Authorization": f"Bearer {TOKEN}"})
    assert bearer.status_code == 200 and "Konsole" in bearer.text


def test_forms_need_the_session_csrf_token(steward: tuple[TestClient, str]) -> None:
    client, csrf = steward
    assert client.post(f"/console/datasets/{TREES}/withdraw").status_code == 403
    assert client.post(f"/console/datasets/{TREES}/withdraw",
                       data={"csrf": "0" * 64}).status_code == 403
    foreign = client.post(f"/console/datasets/{TREES}/withdraw", data={"csrf": csrf},
                          headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert client.post("/console/logout", data={"csrf": csrf},
                       follow_redirects=False).status_code == 303
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_runs_show_stage_status_timing_and_findings(steward: tuple[TestClient, str]) -> None:
    client, _ = steward
    overview = client.get("/console").text
    runs = re.findall(r'href="/console/runs/([^"]+)"', overview)
    assert len(runs) == 3
    assert overview.count('<span class="status published">published</span>') == 3
    defect = next(r for r in runs if "defect-reports" in r)
    page = client.get(f"/console/runs/{defect}")
    assert page.headers["cache-control"] == "private, no-store"
    timing = re.findall(r"<tr><td>(\w+)</td><td class=\"n\">[0-9.]+ s</td></tr>", page.text)
    assert timing[:4] == ["spec", "load", "validate", "check"] and "publish" in timing
    assert "<code>email-in-text</code>" in page.text
    assert '<span class="sev block">block</span>' in page.text
    assert client.get("/console/runs/no-such-run").status_code == 404


def test_raw_positions_only_behind_the_login(web: TestClient) -> None:
    csrf = _login(web)
    assert csrf
    run = next(r for r in re.findall(r'href="/console/runs/([^"]+)"', web.get("/console").text)
               if "defect-reports" in r)
    base = f"/console/runs/{run}/map/reports"
    raw = web.get(f"{base}/raw.geojson")
    assert raw.headers["cache-control"] == "private, no-store"
    assert raw.json()["total"] == 600 and raw.json()["features"][0]["properties"] == {}
    flagged = web.get(f"{base}/flagged.geojson").json()
    assert 0 < len(flagged["features"]) < 600
    assert {"row", "finding"} == set(flagged["features"][0]["properties"])
    assert len(web.get(f"{base}/published.geojson").json()["features"]) == 91
    stranger = TestClient(web.app, base_url=BASE)
    assert stranger.get(f"{base}/raw.geojson", follow_redirects=False).status_code == 303


@pytest.fixture
def blocked_pipelines(tmp_path: Path) -> Path:
    """charging-points without its `accept:` entry: its warning stops the run."""
    folder = tmp_path / "pipelines"
    folder.mkdir()
    spec = yaml.safe_load((ROOT / "pipelines" / "charging-points.yaml").read_text("utf-8"))
    del spec["accept"]
    spec["source"] = str(ROOT / "pipelines" / "samples" / "charging-points")
    spec["dataset"]["name"] = "ladesaeulen-neu"
    (folder / "charging-points.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True),
                                                 encoding="utf-8")
    return folder


@pytest.fixture
def console_with(web_home: Path, blocked_pipelines: Path) -> Iterator[tuple[TestClient, str]]:
    settings = web_settings(web_home)
    settings.pipelines_dir = blocked_pipelines
    with TestClient(create_app(settings), base_url=BASE) as client:
        yield client, _login(client)


def test_accepting_a_warning_with_a_reason_lets_the_next_run_publish(
        console_with: tuple[TestClient, str], web_home: Path, blocked_pipelines: Path) -> None:
    client, csrf = console_with
    pipeline_text = (blocked_pipelines / "charging-points.yaml").read_text("utf-8")
    first = client.post("/console/runs", data={"csrf": csrf, "pipeline": "charging-points"})
    assert 'id="run-status">blocked<' in first.text
    run_id = re.search(r"<h1>Lauf ([^<]+)</h1>", first.text)
    assert run_id is not None
    assert "Verbleibende Hinweise" in first.text and "coordinate-precision" in first.text
    form = {"csrf": csrf, "run_id": run_id.group(1), "rule": "coordinate-precision",
            "resource": "charging-points", "field": "geometry",
            "reason": "Öffentliche Ladesäulen von Unternehmen, kein Personenbezug.",
            "by": "Erika Beispiel, Open-Data-Team"}
    assert client.post("/console/accept", data={**form, "csrf": ""}).status_code == 403
    wrong = client.post("/console/accept", data={**form, "rule": "email-in-text"})
    assert wrong.status_code == 400
    accepted = client.post("/console/accept", data=form)
    assert "Akzeptiert: „coordinate-precision“" in accepted.text
    # the pipeline stays as written; the acceptance lives in the home
    assert (blocked_pipelines / "charging-points.yaml").read_text("utf-8") == pipeline_text
    [entry] = steward_acceptances(Settings(home=web_home), "charging-points")
    assert entry.by == "Erika Beispiel, Open-Data-Team" and entry.at
    again = client.post("/console/runs", data={"csrf": csrf, "pipeline": "charging-points"})
    assert 'id="run-status">published<' in again.text
    audit = json.loads((web_home / "catalog" / "datasets" / "ladesaeulen-neu" / "v1" /
                        "reports" / "audit.json").read_text("utf-8"))
    [use] = audit["accepted_warnings"]
    assert use["entry"] == "steward-accept[0]" and use["by"] == entry.by
    assert use["reason"] == form["reason"] and use["at"] == entry.at
    public = client.get("/dataset/ladesaeulen-neu", headers=HTML).text
    assert "entschieden von Erika Beispiel, Open-Data-Team" in public


def test_withdraw_keeps_files_and_purge_deletes_them(steward: tuple[TestClient, str],
                                                    web_home: Path) -> None:
    client, csrf = steward
    datasets = web_home / "catalog" / "datasets"
    done = client.post(f"/console/datasets/{TREES}/withdraw", data={"csrf": csrf})
    assert "„baumkataster-musterstadt“ wurde zurückgezogen." in done.text
    assert (datasets / TREES / "v1").is_dir()
    assert "Baumkataster" not in client.get("/").text
    assert client.get(f"/dataset/{TREES}", headers=HTML).status_code == 404
    unconfirmed = client.post(f"/console/datasets/{GRID}/purge", data={"csrf": csrf})
    assert unconfirmed.status_code == 400 and (datasets / GRID / "v1").is_dir()
    purged = client.post(f"/console/datasets/{GRID}/purge",
                         data={"csrf": csrf, "confirm": GRID})
    assert "wurde endgültig gelöscht" in purged.text
    assert not (datasets / GRID).exists()
    feed = client.get("/catalog.ttl").text
    for name in (TREES, GRID):
        assert re.search(rf"<{BASE}/dataset/{name}> a as:Tombstone", feed), name
    assert client.get("/").text.count('<li class="card">') == 1
    assert client.get(f"/datasets/{CHARGING}").status_code == 200


def test_steward_acceptances_replace_the_same_place(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    accept(settings, "p", rule="r", resource="a", field="f", reason="one", by="X")
    accept(settings, "p", rule="r", resource="a", field="g", reason="two", by="X")
    accept(settings, "p", rule="r", resource="a", field="f", reason="three", by="Y")
    entries = steward_acceptances(settings, "p")
    assert [(e.field, e.reason, e.by) for e in entries] == [("g", "two", "X"),
                                                             ("f", "three", "Y")]
    assert acceptance_file(settings, "../escape") is None
    with pytest.raises(Exception, match="reason"):
        accept(settings, "p", rule="r", resource=None, field=None, reason=" ", by="X")
