"""The FastAPI app: public read API over published (anonymised) data, the DCAT
catalogue for harvesters, and the steward endpoints behind a token.

`publisher.api.app:app` is built from the settings of the environment
(PUBLISHER_HOME, PUBLISHER_PUBLIC_URL, PUBLISHER_STEWARD_TOKEN_HASH, ...);
`create_app(settings)` builds one for given settings (tests, `publisher serve`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response

from publisher import __version__, web
from publisher.api import errors, routes_data, routes_dcat, routes_steward
from publisher.api.catalog import Catalog
from publisher.api.http import json_response
from publisher.api.ratelimit import RateLimit
from publisher.settings import Settings, load_settings

DESCRIPTION = """Open data of the city, as published: anonymised data only.

* `/datasets`: list and search (text, tag, organisation, bbox, modified since), cursor paging.
* `/datasets/{name}`: metadata; `/datasets/{name}/dcat.ttl|jsonld|rdf`: DCAT-AP.de.
* `/datasets/{name}/resources/{resource}/download?format=`: own format, CSV, GeoJSON,
  Parquet, GeoParquet.
* `/datasets/{name}/resources/{resource}/rows`: filters, bbox, columns, cursor paging.
* `/catalog.ttl|rdf|jsonld`: the catalogue for harvesters, keyset paging on
  (modified, id), `modified_since`, tombstones for deletions.
* `/steward/...`: submit packages, run pipelines, read run reports (bearer token).

Errors always come as `{"error": {"status", "type", "message", "where", "hint"}}`.
Each client address may make `api_rate_burst` requests at once and
`api_rate_per_second` after that; beyond, 429 with `Retry-After`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    # /docs is the pages' own Swagger UI, served from the installed package (no CDN)
    app = FastAPI(title="publisher", version=__version__, description=DESCRIPTION,
                  responses=errors.error_responses(422, 429), docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.catalog = Catalog(settings)
    token = settings.steward_token_hash
    app.state.token_hash = token.get_secret_value() if token else None
    errors.install(app)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(RateLimit, rate=settings.api_rate_per_second,
                       burst=settings.api_rate_burst)
    app.include_router(routes_data.router)
    app.include_router(routes_dcat.router)
    app.include_router(routes_steward.router)
    web.install(app)

    @app.get("/healthz", tags=["meta"])
    def healthz(request: Request) -> Response:
        """Liveness: the catalogue can be read."""
        count = len(request.app.state.catalog.entries())
        return json_response(request, {"ok": True, "entries": count}, "no-store")

    return app


def __getattr__(name: str) -> FastAPI:
    """`app` is built on first use, so importing this module needs no settings."""
    if name == "app":
        built = create_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
