"""Rate limits per client address: 429 in the error envelope with Retry-After,
each address its own bucket, the bucket refilled with time, /healthz exempt."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from publisher.api.app import create_app
from publisher.api.ratelimit import TokenBuckets
from tests.api.conftest import BASE, TOKEN, settings_for


def _client(home: Path, address: str, rate: float = 0.5, burst: int = 3) -> TestClient:
    settings = settings_for(home).model_copy(update={"api_rate_per_second": rate,
                                                     "api_rate_burst": burst})
    return TestClient(create_app(settings), base_url=BASE, client=(address, 40000))


def test_a_client_beyond_its_burst_gets_429_with_retry_after(api_home: Path) -> None:
    with _client(api_home, "192.0.2.1") as client:
        answers = [client.get("/datasets") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    wait = refused.headers["retry-after"]
    assert wait in ("1", "2")  # one token at 0.5/s, less what refilled meanwhile
    assert refused.json() == {"error": {
        "status": 429, "type": "too-many-requests",
        "message": "too many requests from this address", "where": None,
        "hint": f"retry after {wait} s"}}


def test_addresses_have_their_own_buckets_and_healthz_is_exempt(api_home: Path) -> None:
    app = create_app(settings_for(api_home).model_copy(
        update={"api_rate_per_second": 0.5, "api_rate_burst": 2}))
    with TestClient(app, base_url=BASE, client=("192.0.2.1", 1)) as one, \
            TestClient(app, base_url=BASE, client=("192.0.2.2", 1)) as two:
        assert [one.get("/datasets").status_code for _ in range(3)] == [200, 200, 429]
        assert two.get("/datasets").status_code == 200
        assert [one.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]


def test_steward_token_guessing_is_limited_too(api_home: Path) -> None:
    with _client(api_home, "192.0.2.3", burst=5) as client:
        codes = [client.get("/steward/runs", headers={"Authorization": f"Bearer guess{i}"})
                 .status_code for i in range(6)]
        assert codes == [401] * 5 + [429]
        # even the right token waits: the limit is per address, before authentication
        right = client.get("/steward/runs", headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 429


def test_a_zero_rate_turns_the_limit_off(api_home: Path) -> None:
    with _client(api_home, "192.0.2.4", rate=0, burst=1) as client:
        assert {client.get("/datasets").status_code for _ in range(5)} == {200}


def test_buckets_refill_with_time_and_forget_idle_clients() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=2, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(2)] == [0.0, 0.0]
    assert buckets.take("a") == 0.5
    now[0] = 0.5
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0
    now[0] = 100.0  # long idle: full again, never more than the burst
    assert [buckets.take("a") for _ in range(3)][-1] > 0
