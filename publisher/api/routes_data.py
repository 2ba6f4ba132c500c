"""The public read API: dataset list and search, metadata, downloads, row queries.

A valid steward token also shows private datasets; such answers are marked
`Cache-Control: private, no-store`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from publisher.api.auth import is_steward
from publisher.api.catalog import Catalog
from publisher.api.errors import error_responses
from publisher.api.http import (
    decode_cursor,
    encode_cursor,
    json_response,
    not_modified,
    parse_bbox,
    parse_time,
)
from publisher.api.rows import MAX_PAGE, query
from publisher.api.tables import DOWNLOAD_FORMATS

router = APIRouter(tags=["datasets"])
_NUMBER = r"-?[0-9]+(\.[0-9]+)?"
BBOX = rf"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$"


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class DatasetSummary(Open):
    name: str
    title: str
    description: str
    organization: str
    keywords: list[str]
    modified: str
    version: int
    uri: str


class DatasetPage(BaseModel):
    count: int
    datasets: list[DatasetSummary]
    next_cursor: str | None
    next: str | None


class DatasetDetail(DatasetSummary):
    bbox: list[float] | None
    resources: list[dict[str, Any]]


class RowsPage(BaseModel):
    dataset: str
    resource: str
    columns: list[str]
    crs: str | None
    count: int
    rows: list[dict[str, Any]]
    next_cursor: str | None
    next: str | None


def catalog(request: Request) -> Catalog:
    cat: Catalog = request.app.state.catalog
    return cat


def steward(request: Request) -> bool:
    return is_steward(request, request.app.state.token_hash)


def _cache(is_steward: bool, public: str = "public, max-age=60") -> str:
    return "private, no-store" if is_steward else public


def _next(request: Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    base = request.app.state.catalog.base
    return f"{base}{request.url.path}?{urlencode([*params, ('cursor', cursor)])}"


@router.get("/datasets", response_model=DatasetPage, responses=error_responses(400, 422))
def list_datasets(
    request: Request,
    q: Annotated[str | None, Query(max_length=500, description="Words in title, description, "
                                   "keywords or organisation (all must occur).")] = None,
    tag: Annotated[str | None, Query(max_length=200)] = None,
    organization: Annotated[str | None, Query(max_length=200)] = None,
    bbox: Annotated[str | None, Query(description="minx,miny,maxx,maxy in CRS84.",
                                      pattern=BBOX)] = None,
    modified_since: Annotated[str | None, Query(description="ISO 8601 time.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """Published datasets ordered by name, with keyset (cursor) paging."""
    after = decode_cursor(cursor, (str,))
    who = steward(request)
    found, more = catalog(request).search(
        q=q, tag=tag, organization=organization, bbox=parse_bbox(bbox),
        modified_since=parse_time(modified_since, "modified_since"),
        after=after[0] if after else None, limit=limit, steward=who)
    next_cursor = encode_cursor(found[-1].name) if more and found else None
    cat = catalog(request)
    payload = {"count": len(found), "datasets": [cat.summary(e) for e in found],
               "next_cursor": next_cursor, "next": _next(request, next_cursor)}
    return json_response(request, payload, _cache(who))


@router.get("/datasets/{name}", response_model=DatasetDetail,
            responses=error_responses(404, 422, 500))
def get_dataset(request: Request, name: str) -> Response:
    """A dataset's metadata with its resources, download and row-query links."""
    who = steward(request)
    cat = catalog(request)
    return json_response(request, cat.detail(cat.get(name, who)), _cache(who))


@router.get("/datasets/{name}/resources/{resource}/download",
            responses={200: {"content": {"application/octet-stream": {}},
                             "description": "The file"},
                       304: {"description": "Not modified"},
                       **error_responses(400, 404, 422, 500)})
def download(request: Request, name: str, resource: str,
             format: Literal["original", "csv", "geojson", "parquet", "geoparquet"] = "original",
             ) -> Response:
    """The resource in its own format or converted (converted files are cached)."""
    assert format in DOWNLOAD_FORMATS
    who = steward(request)
    cat = catalog(request)
    entry = cat.get(name, who)
    etag = f'"{entry.content_hash[:24]}-{quote(resource, safe="")}-{format}"'
    headers = {"ETag": etag, "Cache-Control": _cache(who, "public, max-age=86400")}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    path, media = cat.tables.download(entry, resource, format)
    suffix = "".join(Path(path.name).suffixes) or ""
    return FileResponse(path, media_type=media, headers=headers,
                        filename=f"{entry.name}-{resource}{suffix}")


@router.get("/datasets/{name}/resources/{resource}/rows", response_model=RowsPage,
            responses=error_responses(400, 404, 422, 500))
async def rows(
    request: Request, name: str, resource: str,
    columns: Annotated[str | None, Query(description="Comma-separated column names.")] = None,
    bbox: Annotated[str | None, Query(description="minx,miny,maxx,maxy in CRS84.",
                                      pattern=BBOX)] = None,
    filter: Annotated[list[str] | None, Query(
        description="field:op:value; op is eq, ne, lt, le, gt, ge, in (a|b|c) or contains. "
                    "Repeat for AND.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """Rows of a resource, filtered, with keyset paging; geometry as GeoJSON in CRS84."""
    who = steward(request)
    cat = catalog(request)
    entry = cat.get(name, who)
    after = decode_cursor(cursor, (int,))
    dataset, table = await run_in_threadpool(cat.tables.query_table, entry, resource)
    wanted = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
    page, last = await run_in_threadpool(
        query, dataset, table, columns=wanted, bbox=parse_bbox(bbox), filters=filter or [],
        after=after[0] if after else None, limit=limit)
    next_cursor = encode_cursor(last) if last is not None else None
    payload = {"dataset": entry.name, "resource": resource, "columns": wanted or table.names,
               "crs": "OGC:CRS84" if table.spatial else None, "count": len(page),
               "rows": page, "next_cursor": next_cursor, "next": _next(request, next_cursor)}
    return json_response(request, payload, _cache(who))
