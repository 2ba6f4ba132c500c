"""Steward endpoints, behind the token: submit a package, run a pipeline (on its
own source or on a submitted package), read run reports, change visibility,
withdraw a dataset."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import zipfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from publisher.api.auth import require_steward
from publisher.api.errors import ApiError, error_responses
from publisher.api.http import json_response
from publisher.pipeline.journal import RUN_REPORT
from publisher.pipeline.run import run_pipeline
from publisher.settings import Settings

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def _authorised(request: Request) -> None:
    require_steward(request, request.app.state.token_hash)


router = APIRouter(prefix="/steward", tags=["steward"], dependencies=[Depends(_authorised)],
                   responses=error_responses(401))


class RunRequest(BaseModel):
    pipeline: str = Field(min_length=1, max_length=200, description="Pipeline name (file stem "
                          "in the pipelines directory).")
    package: str | None = Field(default=None, max_length=200,
                                description="Id of a submitted package to run instead of the "
                                            "pipeline's own source.")


class VisibilityRequest(BaseModel):
    public: bool


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _safe(value: str, what: str) -> str:
    if not _SAFE.match(value) or ".." in value:
        raise ApiError(404, "not-found", f"no {what} named '{value}'")
    return value


@router.post("/packages", status_code=201, responses=error_responses(400, 413, 415),
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
async def submit_package(request: Request) -> Response:
    """Submit a data package as a zip (request body, `Content-Type: application/zip`)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/zip":
        raise ApiError(415, "unsupported-media-type", "send the package as application/zip")
    settings = _settings(request)
    limit = settings.max_upload_mb * 1024 * 1024
    package_id = secrets.token_hex(8)
    folder = settings.inbox_dir / package_id
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "package.zip"
    size = 0
    try:
        with target.open("wb") as fh:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise ApiError(413, "too-large",
                                   f"the package exceeds {settings.max_upload_mb} MB")
                fh.write(chunk)
        if not zipfile.is_zipfile(target):
            raise ApiError(400, "bad-package", "the body is not a zip archive")
    except ApiError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Response(json.dumps({"id": package_id, "bytes": size}), status_code=201,
                    media_type="application/json")


def _pipeline_file(settings: Settings, body: RunRequest) -> tuple[Path, Path | None]:
    """The pipeline file, and the submitted package to run instead of its source.
    The pipeline runs as it is (the core checks it and resolves its paths)."""
    name = _safe(body.pipeline, "pipeline")
    path = settings.pipelines_dir / f"{name}.yaml"
    if not path.is_file():
        raise ApiError(404, "not-found", f"no pipeline named '{name}'")
    if body.package is None:
        return path, None
    package = settings.inbox_dir / _safe(body.package, "package") / "package.zip"
    if not package.is_file():
        raise ApiError(404, "not-found", f"no submitted package '{body.package}'")
    return path, package


@router.post("/runs", responses=error_responses(400, 404, 422))
async def run(request: Request, body: RunRequest) -> Response:
    """Run a pipeline now and answer with its run report (status, reports, publication)."""
    settings = _settings(request)
    path, package = _pipeline_file(settings, body)
    result = await run_in_threadpool(run_pipeline, path, settings, source=package)
    request.app.state.catalog.entries()  # pick up a new version at once
    return json_response(request, result.to_dict(), "private, no-store")


@router.get("/runs", responses=error_responses(422))
def list_runs(request: Request) -> Response:
    """Run ids, newest first, with their status."""
    runs_dir = _settings(request).runs_dir
    runs: list[dict[str, Any]] = []
    if runs_dir.is_dir():
        for folder in sorted(runs_dir.iterdir(), reverse=True):
            report = folder / RUN_REPORT
            if report.is_file():
                data = json.loads(report.read_text(encoding="utf-8"))
                runs.append({"run_id": folder.name, "pipeline": data.get("pipeline"),
                             "status": data.get("status")})
    return json_response(request, {"runs": runs}, "private, no-store")


@router.get("/runs/{run_id}", responses=error_responses(404, 422))
def get_run(request: Request, run_id: str) -> Response:
    """The full run report of one run."""
    report = _settings(request).runs_dir / _safe(run_id, "run") / RUN_REPORT
    if not report.is_file():
        raise ApiError(404, "not-found", f"no run '{run_id}'")
    return json_response(request, json.loads(report.read_text(encoding="utf-8")),
                         "private, no-store")


@router.put("/datasets/{name}/visibility", responses=error_responses(400, 404, 422))
def set_visibility(request: Request, name: str, body: VisibilityRequest) -> Response:
    """Make a dataset public or private (either counts as a modification)."""
    catalog = request.app.state.catalog
    catalog.get(name, steward=True)
    catalog.store.set_public(name, body.public)
    return json_response(request, catalog.summary(catalog.get(name, steward=True)),
                         "private, no-store")


@router.delete("/datasets/{name}", status_code=204, responses=error_responses(404, 422))
def delete_dataset(request: Request, name: str) -> Response:
    """Withdraw a dataset; harvesters see a tombstone until the retention period ends."""
    catalog = request.app.state.catalog
    catalog.get(name, steward=True)
    catalog.store.delete(name)
    return Response(status_code=204)
