"""Steward token: only its SHA-256 is configured (PUBLISHER_STEWARD_TOKEN_HASH),
and the presented token's hash is compared in constant time. A random token of
32 bytes needs no slow hash: there is nothing to guess from its digest.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

from publisher.api.errors import ApiError


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh steward token and the hash to configure."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def presented_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def is_steward(request: Request, expected_hash: str | None) -> bool:
    token = presented_token(request)
    if token is None or not expected_hash:
        return False
    return hmac.compare_digest(hash_token(token), expected_hash.strip().lower())


def require_steward(request: Request, expected_hash: str | None) -> None:
    if is_steward(request, expected_hash):
        return
    hint = ("send 'Authorization: Bearer <token>'" if expected_hash
            else "the server has no steward token configured (PUBLISHER_STEWARD_TOKEN_HASH)")
    raise ApiError(401, "unauthorised", "a valid steward token is required", hint=hint,
                   headers={"WWW-Authenticate": "Bearer"})
