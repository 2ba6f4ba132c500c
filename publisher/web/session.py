"""Who is at the steward console: a steward token (Authorization: Bearer, for
scripts) or a session cookie that a login with the token set.

The cookie holds a signed, timed session id (itsdangerous); its key is the
`session_secret` setting, else a random key per process. The session also
names a digest of the configured token hash, so a new token ends every
session. Forms carry a CSRF token derived from the session id; a POST whose
token does not match, or whose Origin is another site, is refused. The cookie
is HttpOnly, SameSite=Strict, limited to /console, and Secure on https.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from publisher.api.auth import hash_token, is_steward
from publisher.api.errors import ApiError

COOKIE = "publisher_console"
PATH = "/console"
MAX_AGE = 8 * 3600


@dataclass(frozen=True)
class Session:
    sid: str
    csrf: str | None  # None: a bearer token, which a browser never sends by itself


class Sessions:
    def __init__(self, secret: str | None, token_hash: str | None, secure: bool):
        self.key = (secret or secrets.token_urlsafe(32)).encode("utf-8")
        self.signer = URLSafeTimedSerializer(self.key, salt="publisher-console")
        self.token = hashlib.sha256((token_hash or "").encode()).hexdigest()[:16]
        self.token_hash = token_hash
        self.secure = secure

    def valid_token(self, token: str) -> bool:
        if not self.token_hash or not token:
            return False
        return hmac.compare_digest(hash_token(token.strip()), self.token_hash.strip().lower())

    def csrf(self, sid: str) -> str:
        return hmac.new(self.key, f"csrf:{sid}".encode(), hashlib.sha256).hexdigest()

    def current(self, request: Request) -> Session | None:
        if is_steward(request, self.token_hash):
            return Session(sid="bearer", csrf=None)
        cookie = request.cookies.get(COOKIE)
        if not cookie or not self.token_hash:
            return None
        try:
            data = self.signer.loads(cookie, max_age=MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict) or data.get("token") != self.token:
            return None
        sid = str(data.get("sid", ""))
        return Session(sid=sid, csrf=self.csrf(sid)) if sid else None

    def login(self, response: Response) -> None:
        value = self.signer.dumps({"sid": secrets.token_urlsafe(16), "token": self.token})
        response.set_cookie(COOKIE, value, max_age=MAX_AGE, path=PATH, httponly=True,
                            samesite="strict", secure=self.secure)

    def logout(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="strict",
                               secure=self.secure)

    def check(self, request: Request, session: Session, token: str | None) -> None:
        """Refuse a form that did not come from a console page of this session."""
        if session.csrf is None:
            return
        origin = request.headers.get("origin")
        if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
            raise ApiError(403, "forbidden", "the form was sent from another site")
        if not token or not hmac.compare_digest(token, session.csrf):
            raise ApiError(403, "forbidden", "the form's CSRF token is missing or stale",
                           hint="reload the console page and send the form again")
