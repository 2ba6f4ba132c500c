"""Response helpers: ETag / If-None-Match, JSON bodies, opaque keyset cursors."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import math
import re
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from publisher.api.errors import ApiError


def _default(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return str(value)


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, default=_default,
                      separators=(",", ":")).encode("utf-8")


def not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip() for t in header.split(",")}
    bare = etag.removeprefix("W/")
    return "*" in tags or etag in tags or bare in tags or f"W/{bare}" in tags


def respond(request: Request, body: bytes, media_type: str,
            cache: str = "public, max-age=60", headers: dict[str, str] | None = None) -> Response:
    """BODY with a weak ETag (weak: gzip changes the bytes, not the meaning);
    304 when the client already holds it."""
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    extra = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept-Encoding", **(headers or {})}
    if not_modified(request, etag):
        return Response(status_code=304, headers=extra)
    return Response(content=body, media_type=media_type, headers=extra)


def json_response(request: Request, payload: Any, cache: str = "public, max-age=60") -> Response:
    return respond(request, dumps(payload), "application/json", cache)


def encode_cursor(*key: object) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, types: tuple[type, ...]) -> list[Any] | None:
    """The key a cursor holds, checked against TYPES; 400 if it was tampered with."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        key = None
    if (not isinstance(key, list) or len(key) != len(types)
            or not all(isinstance(k, t) and not isinstance(k, bool) for k, t in zip(key, types,
                                                                                     strict=True))):
        raise ApiError(400, "bad-cursor", "the cursor is not one this API handed out",
                       hint="start again without a cursor")
    return key


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """minx,miny,maxx,maxy in CRS84 (longitude, latitude)."""
    if text is None:
        return None
    parts = text.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise ApiError(400, "bad-bbox", "bbox must be four numbers: minx,miny,maxx,maxy",
                       where="bbox",
                       hint="longitude and latitude in CRS84, e.g. 13.0,52.3,13.8,52.7")
    minx, miny, maxx, maxy = values
    if minx > maxx or miny > maxy:
        raise ApiError(400, "bad-bbox", "bbox minimum exceeds its maximum", where="bbox")
    return minx, miny, maxx, maxy


def parse_time(text: str | None, name: str) -> str | None:
    """An ISO 8601 time as the catalogue's UTC text, for comparisons."""
    if text is None:
        return None
    if re.search(r"\d \d\d:\d\d$", text):  # a '+' of the offset decoded as a space
        text = text[:-6] + "+" + text[-5:]
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, "bad-time", f"{name} is not an ISO 8601 time", where=name,
                       hint="e.g. 2025-01-31T12:00:00Z") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
