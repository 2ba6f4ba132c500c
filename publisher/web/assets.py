"""Browser libraries from npm, served by the app itself: no page loads anything
from another host.

`publisher/web/package.json` names them and `package-lock.json` pins them;
`make install` runs `npm ci --ignore-scripts` there, which puts them into
`publisher/web/node_modules/` (ignored by git, included in a wheel built after
it; the deploy image runs the same step). Only the files listed here are
served, under `/assets/<library>/<file>`. A library that is not installed is
a clear message on the page and in the 404 answer, never a broken page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from publisher.api.errors import ApiError

WEB = Path(__file__).resolve().parent
NODE_MODULES = WEB / "node_modules"
STATIC = WEB / "static"
INSTALL_HINT = "run `make install` (or `npm ci --ignore-scripts --prefix publisher/web`)"
MEDIA = {".js": "text/javascript", ".css": "text/css", ".png": "image/png",
         ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Library:
    name: str  # as served: /assets/<name>/...
    package: str  # the npm package
    folder: str  # inside the package
    files: tuple[str, ...]

    @property
    def root(self) -> Path:
        return NODE_MODULES / self.package / self.folder

    def installed(self) -> bool:
        return all((self.root / f).is_file() for f in self.files)

    def version(self) -> str | None:
        manifest = NODE_MODULES / self.package / "package.json"
        try:
            version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            return None
        return str(version) if version else None


LIBRARIES = {lib.name: lib for lib in (
    Library("leaflet", "leaflet", "dist",
            ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
             "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png")),
    Library("swagger-ui", "swagger-ui-dist", "",
            ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")),
)}
CACHE = "public, max-age=604800"


@cache
def missing() -> tuple[str, ...]:
    """Libraries not installed (checked once per process)."""
    return tuple(name for name, lib in LIBRARIES.items() if not lib.installed())


def url(library: str, file: str) -> str:
    return f"/assets/{library}/{file}"


router = APIRouter(include_in_schema=False)


@router.get("/assets/app/{file}")
def own_asset(file: str) -> Response:
    """The pages' own script and style (publisher/web/static)."""
    path = STATIC / file
    if "/" in file or file.startswith(".") or not path.is_file() or path.suffix not in MEDIA:
        raise ApiError(404, "not-found", f"no asset '{file}'")
    return FileResponse(path, media_type=MEDIA[path.suffix], headers={"Cache-Control": CACHE})


@router.get("/assets/{library}/{file:path}")
def library_asset(library: str, file: str) -> Response:
    lib = LIBRARIES.get(library)
    if lib is None or file not in lib.files:
        raise ApiError(404, "not-found", f"no asset '{library}/{file}'")
    path = lib.root / file
    if not path.is_file():
        raise ApiError(404, "asset-missing",
                       f"the browser library '{lib.package}' is not installed", hint=INSTALL_HINT)
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"),
                        headers={"Cache-Control": CACHE})
