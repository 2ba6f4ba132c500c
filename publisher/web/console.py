"""The steward console under /console: login with the steward token, runs with
their stages, timing and findings, the check report with a map of the flagged
positions, the before/after map for the data protection officer, starting a
run or a plan, accepting remaining warnings with a reason, and withdrawing or
purging a dataset.

Raw data (positions of the raw package) appear only here: every answer is
`private, no-store`, and nothing public links to the console.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import geopandas as gpd
from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from publisher.api.catalog import Catalog
from publisher.api.errors import ApiError
from publisher.api.http import json_response
from publisher.errors import PublisherError
from publisher.package.loader import load_package
from publisher.pipeline.run import run_pipeline
from publisher.pipeline.spec import load_spec
from publisher.pipeline.steward_accept import accept
from publisher.settings import Settings
from publisher.web import mapdata
from publisher.web.i18n import translator
from publisher.web.render import PRIVATE_CACHE, SECURITY, lang_of, link, page
from publisher.web.runs import RunView, list_runs, load_run
from publisher.web.session import Session, Sessions

router = APIRouter(prefix="/console", include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]
Optional = Annotated[str, Form(max_length=200)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _catalog(request: Request) -> Catalog:
    cat: Catalog = request.app.state.catalog
    return cat


def sessions(request: Request) -> Sessions:
    found: Sessions = request.app.state.sessions
    return found


class LoginNeeded(Exception):
    """A console page asked for without a session: the login page answers."""


def _session(request: Request) -> Session:
    session = sessions(request).current(request)
    if session is None:
        raise LoginNeeded()
    return session


def _posted(request: Request, csrf: str | None) -> Session:
    session = sessions(request).current(request)
    if session is None:
        raise ApiError(401, "unauthorised", "log in to the console first",
                       hint="open /console/login")
    sessions(request).check(request, session, csrf)
    return session


def _back(request: Request, path: str, **params: Any) -> Response:
    return RedirectResponse(link(lang_of(request), path, **params), status_code=303,
                            headers={"Cache-Control": PRIVATE_CACHE})


def _pipelines(settings: Settings) -> list[str]:
    folder = settings.pipelines_dir
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


@router.get("/login")
def login_form(request: Request) -> Response:
    if sessions(request).current(request) is not None:
        return _back(request, "/console")
    return page(request, "login.html", {"failed": False}, private=True)


@router.post("/login")
def login(request: Request, token: Annotated[str, Form(max_length=500)] = "") -> Response:
    settings = _settings(request)
    if not settings.steward_token_hash:
        return page(request, "login.html", {"failed": True, "unset": True}, private=True,
                    status=401)
    if not sessions(request).valid_token(token):
        return page(request, "login.html", {"failed": True}, private=True, status=401)
    response = _back(request, "/console")
    sessions(request).login(response)
    return response


@router.post("/logout")
def logout(request: Request, csrf: Optional = "") -> Response:
    _posted(request, csrf)
    response = _back(request, "/console/login")
    sessions(request).logout(response)
    return response


@router.get("")
def overview(request: Request) -> Response:
    session = _session(request)
    settings = _settings(request)
    cat = _catalog(request)
    datasets = [e for e in cat.entries() if not e.deleted]
    withdrawn = [e for e in cat.entries() if e.deleted]
    return page(request, "console.html", {
        "session": session, "runs": list_runs(settings), "datasets": datasets,
        "withdrawn": withdrawn, "pipelines": _pipelines(settings),
        "done": request.query_params.get("done")}, private=True)


@router.post("/runs")
async def start(request: Request, pipeline: Optional, mode: Optional = "run",
                csrf: Optional = "") -> Response:
    _posted(request, csrf)
    settings = _settings(request)
    if pipeline not in _pipelines(settings):
        raise ApiError(404, "not-found", f"no pipeline named '{pipeline}'", where="pipeline")
    result = await run_in_threadpool(run_pipeline, settings.pipelines_dir / f"{pipeline}.yaml",
                                     settings, plan_only=mode == "plan")
    _catalog(request).entries()  # a new version is seen at once
    return _back(request, f"/console/runs/{quote(result.run_id, safe='')}")


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: str) -> Response:
    session = _session(request)
    run = load_run(_settings(request), run_id)
    maps = _maps(request, run)
    return page(request, "run.html", {"session": session, "run": run, "maps": maps,
                                      "accepted": request.query_params.get("accepted")},
                private=True)


def _maps(request: Request, run: RunView) -> list[dict[str, Any]]:
    """The flagged-positions and before/after maps, one per spatial raw resource."""
    flagged = {f.resource for f in run.findings("check") if f.resource and f.row is not None}
    publish = run.report.get("publish") or {}
    out = []
    for resource in sorted(_spatial_resources(run)):
        base = f"/console/runs/{quote(run.run_id, safe='')}/map/{quote(resource, safe='')}"
        suffix = "?lang=en" if lang_of(request) == "en" else ""
        layers = [{"url": f"{base}/raw.geojson{suffix}"}]
        if publish.get("dataset"):
            layers.append({"url": f"{base}/published.geojson{suffix}"})
        out.append({"resource": resource, "before_after": layers,
                    "flagged": [{"url": f"{base}/flagged.geojson{suffix}"}]
                    if resource in flagged else None})
    return out


def _spatial_resources(run: RunView) -> list[str]:
    try:
        tables = _raw_tables(run)
    except (PublisherError, OSError):
        return []
    return [name for name, table in tables.items() if isinstance(table, gpd.GeoDataFrame)]


def _raw_tables(run: RunView) -> dict[str, Any]:
    """The raw package's tables (read into memory; a zip is unpacked in a
    temporary directory that is removed at once)."""
    spec = load_spec(str(run.report.get("file", "")))
    with tempfile.TemporaryDirectory(prefix="console-") as work:
        package = load_package(spec.source_path(), allow_remote=spec.allow_remote,
                               workdir=Path(work) / "source")
        return {r.name: r.table() for r in package.resources}


@router.get("/runs/{run_id}/map/{resource}/{layer}.geojson")
def run_map(request: Request, run_id: str, resource: str, layer: str) -> Response:
    """Positions of the raw package (all, or those the check flagged) or the
    published geometry, for the console's maps only."""
    _session(request)
    run = load_run(_settings(request), run_id)
    t = translator(lang_of(request))
    if layer == "published":
        name = str((run.report.get("publish") or {}).get("dataset", ""))
        cat = _catalog(request)
        data = mapdata.published(cat, cat.get(name, steward=True), resource, t)
        return json_response(request, data, PRIVATE_CACHE)
    if layer not in ("raw", "flagged"):
        raise ApiError(404, "not-found", f"no map layer '{layer}'")
    try:
        table = _raw_tables(run).get(resource)
    except PublisherError as exc:
        raise ApiError(404, "raw-unavailable", f"the raw package of run '{run_id}' cannot be "
                       f"read: {exc.message}", where=exc.where) from None
    if not isinstance(table, gpd.GeoDataFrame):
        raise ApiError(404, "no-geometry", f"resource '{resource}' has no geometry")
    if layer == "raw":
        return json_response(request, mapdata.points(table, None, mapdata.RAW, t("legend.raw"),
                                                     t), PRIVATE_CACHE)
    found = [f for f in run.findings("check") if f.resource == resource and f.row is not None]
    rules = {f.row: f"{f.rule or f.type} ({f.severity})" for f in found}
    data = mapdata.points(table, list(rules), mapdata.FLAGGED, t("legend.flagged"), t,
                          lambda row: {"row": row, "finding": rules.get(row)})
    return json_response(request, data, PRIVATE_CACHE)


@router.post("/accept")
def accept_warning(request: Request, run_id: Optional, rule: Optional, reason: Text,
                   by: Optional, resource: Optional = "", field: Optional = "",
                   csrf: Optional = "") -> Response:
    """Accept a remaining warning of a run's re-check for its pipeline, with a reason
    and who decides; the next run of the pipeline publishes with it."""
    _posted(request, csrf)
    run = load_run(_settings(request), run_id)
    if not any(w["rule"] == rule and (w["resource"] or "") == resource
               and (w["field"] or "") == field for w in run.unaccepted()):
        raise ApiError(400, "not-a-warning", f"run '{run_id}' has no unaccepted warning of "
                       f"rule '{rule}' there", where=f"resource '{resource}', field '{field}'")
    accept(_settings(request), run.pipeline, rule=rule, resource=resource, field=field,
           reason=reason, by=by)
    return _back(request, f"/console/runs/{quote(run_id, safe='')}", accepted=rule)


@router.post("/datasets/{name}/withdraw")
def withdraw(request: Request, name: str, csrf: Optional = "") -> Response:
    """Soft: the dataset leaves the catalogue, its files stay; harvesters see a tombstone."""
    _posted(request, csrf)
    cat = _catalog(request)
    cat.get(name, steward=True)
    cat.store.delete(name)
    return _back(request, "/console", done=f"withdrawn:{name}")


@router.post("/datasets/{name}/purge")
def purge(request: Request, name: str, csrf: Optional = "", confirm: Optional = "") -> Response:
    """The dataset's files are deleted; harvesters see a tombstone. The form asks
    for the dataset's name, so that no slip of a click deletes files."""
    _posted(request, csrf)
    if confirm.strip() != name:
        raise ApiError(400, "not-confirmed", f"type the dataset's name '{name}' to purge it",
                       where="confirm")
    cat = _catalog(request)
    if not any(e.name == name for e in cat.entries()):
        raise ApiError(404, "not-found", f"no dataset named '{name}'")
    cat.store.purge(name)
    shutil.rmtree(cat.tables.root / name, ignore_errors=True)
    return _back(request, "/console", done=f"purged:{name}")


def install(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    secret = settings.session_secret.get_secret_value() if settings.session_secret else None
    app.state.sessions = Sessions(secret, app.state.token_hash,
                                  secure=settings.public_url.startswith("https://"))

    @app.exception_handler(LoginNeeded)
    async def _login(request: Request, exc: LoginNeeded) -> Response:
        return RedirectResponse(link(lang_of(request), "/console/login"), status_code=303,
                                headers={**SECURITY, "Cache-Control": PRIVATE_CACHE})

    app.include_router(router)
