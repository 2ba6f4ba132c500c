"""Rate limit per client address: a token bucket of `api_rate_burst` tokens,
refilled at `api_rate_per_second`. A request without a token is answered 429
in the API's error envelope, with Retry-After. /healthz is not limited.

The client address is the connection's peer; behind a reverse proxy run uvicorn
with --proxy-headers (and --forwarded-allow-ips) so that it is the reader's.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from publisher.api.errors import envelope

EXEMPT = frozenset({"/healthz"})
MAX_CLIENTS = 10_000  # beyond this, buckets that are full again are forgotten


@dataclass
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take a token for CLIENT: 0.0 when allowed, else the seconds until one is there."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._forget_full(now)
                bucket = self._buckets[client] = _Bucket(float(self.burst), now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        full = [k for k, b in self._buckets.items()
                if b.tokens + (now - b.at) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]


class RateLimit:
    """ASGI middleware: one TokenBuckets for the app; rate 0 turns it off."""

    def __init__(self, app: ASGIApp, rate: float, burst: int,
                 clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.buckets = TokenBuckets(rate, burst, clock) if rate > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is None or scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(str(client[0]) if client else "unknown")
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        response = envelope(429, "too-many-requests", "too many requests from this address",
                            hint=f"retry after {seconds} s",
                            headers={"Retry-After": str(seconds)})
        await response(scope, receive, send)
