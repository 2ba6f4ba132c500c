"""Steward tokens: only the SHA-256 is configured and kept, the presented token's
hash is compared in constant time, and neither the token nor its hash shows up
in what the API answers."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from publisher.api import auth
from publisher.api.app import create_app
from tests.api.conftest import BASE, TOKEN, settings_for


def test_only_the_hash_is_configured_and_kept(api_home: Path) -> None:
    settings = settings_for(api_home)
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    assert settings.steward_token_hash is not None
    assert settings.steward_token_hash.get_secret_value() == digest
    app = create_app(settings)
    assert app.state.token_hash == digest
    assert TOKEN not in repr(vars(app.state)) and TOKEN not in repr(settings)
    assert digest not in repr(settings)  # a SecretStr: masked in logs and reprs


def test_new_tokens_are_random_and_their_hash_authenticates(api_home: Path) -> None:
    token, digest = auth.new_token()
    other, _ = auth.new_token()
    assert token != other and len(token) >= 43  # 32 random bytes
    assert digest == auth.hash_token(token) and token not in digest
    settings = settings_for(api_home).model_copy(update={"steward_token_hash":
                                                                SecretStr(digest.upper())})
    with TestClient(create_app(settings), base_url=BASE) as client:
        ok = client.get("/steward/runs", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        # the stored hash is no password: presenting it is refused
        stolen = client.get("/steward/runs", headers={"Authorization": f"Bearer {digest}"})
        assert stolen.status_code == 401


def test_tokens_are_compared_in_constant_time(client: TestClient,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Any, Any]] = []
    original = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        seen.append((a, b))
        return original(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    for presented in (TOKEN, "x", TOKEN[:-1], TOKEN + "x"):
        client.get("/steward/runs", headers={"Authorization": f"Bearer {presented}"})
    # every comparison went through compare_digest, on digests of equal length
    assert len(seen) == 4
    assert all(len(a) == len(b) == 64 for a, b in seen)
    assert TOKEN not in {a for a, _ in seen} | {b for _, b in seen}


def test_no_token_configured_refuses_everyone(api_home: Path) -> None:
    settings = settings_for(api_home).model_copy(update={"steward_token_hash": None})
    with TestClient(create_app(settings), base_url=BASE) as client:
        for header in ({}, {"Authorization": "Bearer "}, {"Authorization": f"Bearer {TOKEN}"}):
            answer = client.get("/steward/runs", headers=header)
            assert answer.status_code == 401
            assert "PUBLISHER_STEWARD_TOKEN_HASH" in answer.json()["error"]["hint"]


def test_answers_never_echo_the_token(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    digest = auth.hash_token(TOKEN)
    for url in ("/steward/runs", "/datasets", "/openapi.json", "/catalog.ttl", "/steward/x"):
        answer = client.get(url, headers=headers)
        assert TOKEN not in answer.text and digest not in answer.text, url
