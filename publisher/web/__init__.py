"""Server-rendered pages for people: the public catalogue and dataset pages with
maps, the steward console, and the API documentation, all served by the API's
FastAPI app with every asset from this server (see `assets`)."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Add the pages' routes to the API's app."""
    from publisher.web import assets, console, pages

    app.include_router(assets.router)
    app.include_router(pages.router)
    console.install(app)
