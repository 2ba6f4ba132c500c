"""The public pages: the catalogue at `/`, a dataset's page (served at its DCAT
URI for browsers, see `negotiate`), its map data and audit record, and the
API documentation, which works offline.

Public pages never look at a login: they show the same published, public
data to everyone, so any cache may keep them.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from publisher.api.catalog import Catalog
from publisher.api.errors import ApiError
from publisher.api.http import json_response, respond
from publisher.pipeline.run import AUDIT_JSON, AUDIT_PAGE
from publisher.web import assets, listing, mapdata
from publisher.web.dataset import context, has_audit_page
from publisher.web.i18n import translator
from publisher.web.render import CSP, SECURITY, lang_of, page

router = APIRouter(include_in_schema=False)

# media types a client may ask for at a dataset's URI, and what it gets
OFFERS = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
          "application/rdf+xml": "rdf", "application/ld+json": "jsonld",
          "application/json": "json"}


def _catalog(request: Request) -> Catalog:
    cat: Catalog = request.app.state.catalog
    return cat


def negotiate(accept: str | None) -> str:
    """What an Accept header asks for most: html, ttl, rdf, jsonld or json. A
    wildcard alone (curl, scripts) gets JSON, as before pages existed."""
    best, best_q = "json", 0.0
    for part in (accept or "").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        kind = OFFERS.get(media.lower())
        # on a tie the earlier entry wins: browsers list what they prefer first
        if kind is not None and q > best_q:
            best, best_q = kind, q
    return best


def dataset_at_uri(request: Request, name: str) -> Response:
    """The dataset's URI: the page for browsers; a 303 to the RDF or the JSON
    metadata for machines."""
    base = _catalog(request).base
    kind = negotiate(request.headers.get("accept"))
    if kind == "html":
        return dataset_page(request, name)
    target = (f"/datasets/{quote(name, safe='')}" if kind == "json"
              else f"/datasets/{quote(name, safe='')}/dcat.{kind}")
    return RedirectResponse(f"{base}{target}", status_code=303, headers={"Vary": "Accept"})


def not_found(request: Request, message: str) -> Response:
    return page(request, "error.html", {"message": message}, status=404)


def dataset_page(request: Request, name: str) -> Response:
    cat = _catalog(request)
    try:
        entry = cat.get(name, steward=False)
    except ApiError as exc:
        return not_found(request, exc.message)
    try:
        number = int(request.query_params.get("page", "1"))
    except ValueError:
        number = 1
    ctx = context(cat, entry, lang_of(request), request.query_params.get("resource"), number)
    return page(request, "dataset.html", ctx)


@router.get("/")
def catalogue(request: Request,
              q: Annotated[str | None, Query(max_length=500)] = None,
              theme: Annotated[str | None, Query(max_length=200)] = None,
              format: Annotated[str | None, Query(max_length=50)] = None,
              licence: Annotated[str | None, Query(max_length=200)] = None,
              place: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    cards = listing.public_cards(_catalog(request))
    chosen = {"theme": theme, "format": format, "licence": licence, "place": place}
    found = listing.search(cards, q, {k: v for k, v in chosen.items() if v})
    return page(request, "catalogue.html", {
        "q": q or "", "chosen": chosen, "found": found,
        "facets": listing.facet_counts(cards), "filters": listing.FILTERS})


@router.get("/datasets/{name}/audit.html")
def audit_page(request: Request, name: str) -> Response:
    """The full audit record as published beside the data."""
    entry = _catalog(request).get(name)
    if not has_audit_page(entry):
        raise ApiError(404, "not-found", f"dataset '{name}' has no audit record")
    body = (entry.version_dir / AUDIT_PAGE).read_bytes()
    # the record is one self-contained page with its own <style>
    headers = {**SECURITY, "Content-Security-Policy": CSP.replace(
        "style-src 'self'", "style-src 'unsafe-inline'")}
    return respond(request, body, "text/html; charset=utf-8", headers=headers)


@router.get("/datasets/{name}/audit.json")
def audit_json(request: Request, name: str) -> Response:
    entry = _catalog(request).get(name)
    path = entry.version_dir / AUDIT_JSON
    if not path.is_file():
        raise ApiError(404, "not-found", f"dataset '{name}' has no audit record")
    return respond(request, path.read_bytes(), "application/json")


@router.get("/datasets/{name}/resources/{resource}/map.geojson")
def map_data(request: Request, name: str, resource: str) -> Response:
    """The published geometry of a resource for the dataset page's map."""
    cat = _catalog(request)
    data = mapdata.published(cat, cat.get(name), resource, translator(lang_of(request)))
    return json_response(request, data)


@router.get("/docs")
def docs(request: Request) -> Response:
    """Swagger UI from the installed npm package: no CDN, works offline."""
    return page(request, "docs.html", {"spec": request.app.openapi_url,
                                       "ready": "swagger-ui" not in assets.missing()})


@router.get("/redoc")
def redoc(request: Request) -> Response:
    return RedirectResponse("/docs", status_code=301)
