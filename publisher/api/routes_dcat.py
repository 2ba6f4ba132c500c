"""DCAT for harvesters: `/catalog.{ttl,rdf,jsonld}` with keyset paging on
(modified, id) and tombstones; one dataset's DCAT-AP.de; the published
descriptor; and the stable dataset URI, which redirects to the metadata."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from publisher.api.compat import GeometryForm, geometry_literals
from publisher.api.dcat import FORMATS, catalog_page, dataset_graph, page_urls
from publisher.api.errors import ApiError, error_responses
from publisher.api.http import decode_cursor, encode_cursor, parse_time, respond
from publisher.api.routes_data import catalog, steward
from publisher.api.rows import MAX_PAGE

router = APIRouter(tags=["dcat"])
GEOMETRY_HELP = ("node (DCAT-AP 3, the default) or literal: locn:geometry as a WKT/GeoJSON "
                 "literal, for harvesters that read no geometry node (ckanext-dcat <= 2.4.4).")
Format = Literal["ttl", "rdf", "jsonld"]


def _rdf_content() -> dict[int | str, dict[str, object]]:
    content = {m: {"schema": {"type": "string"}} for _, m in FORMATS.values()}
    content["application/ld+json"] = {"schema": {}}  # JSON-LD is JSON: any document
    return {200: {"description": "RDF", "content": content},
            304: {"description": "Not modified"}}


@router.get("/catalog.{fmt}", responses={**_rdf_content(), **error_responses(400, 404, 422)})
def catalog_feed(
    request: Request, fmt: Format,
    modified_since: Annotated[str | None, Query(description="ISO 8601 time.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    geometry: Annotated[GeometryForm, Query(description=GEOMETRY_HELP)] = "node",
) -> Response:
    """The catalogue for harvesters, oldest change first. Pages follow with
    `hydra:next`; deletions come as `as:Tombstone` for the retention period."""
    cat = catalog(request)
    key = decode_cursor(cursor, (str, str))
    since = parse_time(modified_since, "modified_since")
    items, more = cat.feed(since, (key[0], key[1]) if key else None, limit)
    next_cursor = encode_cursor(items[-1].modified, items[-1].entry.name) if more else None
    params = dict(request.query_params)
    this, first, nxt = page_urls(cat.base, fmt, params, next_cursor)
    settings = request.app.state.settings
    graph = catalog_page(cat, items, page_url=this, first_url=first, next_url=nxt, limit=limit,
                         title=settings.catalog_title, publisher=settings.catalog_publisher)
    if geometry == "literal":
        geometry_literals(graph)
    syntax, media = FORMATS[fmt]
    return respond(request, graph.serialize(format=syntax).encode("utf-8"), media)


@router.get("/datasets/{name}/dcat.{fmt}",
            responses={**_rdf_content(), **error_responses(404, 422)})
def dataset_dcat(request: Request, name: str, fmt: Format,
                 geometry: Annotated[GeometryForm, Query(description=GEOMETRY_HELP)] = "node",
                 ) -> Response:
    """One dataset in DCAT-AP.de 3.0."""
    who = steward(request)
    cat = catalog(request)
    graph = dataset_graph(cat, cat.get(name, who))
    if geometry == "literal":
        geometry_literals(graph)
    syntax, media = FORMATS[fmt]
    return respond(request, graph.serialize(format=syntax).encode("utf-8"), media,
                   "private, no-store" if who else "public, max-age=60")


@router.get("/datasets/{name}/datapackage.json", responses=error_responses(404, 422))
def datapackage(request: Request, name: str) -> Response:
    """The published Frictionless descriptor."""
    who = steward(request)
    entry = catalog(request).get(name, who)
    path = entry.version_dir / "datapackage.json"
    if "datapackage.json" not in entry.files or not path.is_file():
        raise ApiError(404, "not-found", f"dataset '{name}' has no published descriptor")
    return respond(request, path.read_bytes(), "application/json",
                   "private, no-store" if who else "public, max-age=60")


@router.get("/dataset/{name}", status_code=303, response_class=RedirectResponse,
            responses={200: {"description": "The dataset's page, for a browser (Accept: "
                                            "text/html)", "content": {"text/html": {}}},
                       303: {"description": "See Other: the DCAT-AP.de record for Accept: "
                                            "text/turtle, application/rdf+xml or "
                                            "application/ld+json; else the JSON metadata"}})
def dataset_uri(request: Request, name: str) -> Response:
    """The stable dataset URI used in DCAT, with content negotiation: the page for
    browsers, the RDF or the JSON metadata's address for machines."""
    from publisher.web.pages import dataset_at_uri

    return dataset_at_uri(request, name)
