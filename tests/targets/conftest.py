"""The real-stack fixtures of tests/stack/conftest.py (stack, ckan, s3, ...), shared
with the CKAN target tests here, plus a small staged package to publish."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from publisher.settings import Settings

_PATH = Path(__file__).resolve().parents[1] / "stack" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_stack_fixtures", _PATH)
assert _spec and _spec.loader
_stack = importlib.util.module_from_spec(_spec)
sys.modules["_stack_fixtures"] = _stack  # dataclasses look their module up
_spec.loader.exec_module(_stack)

stack = _stack.stack
solr_url = _stack.solr_url
ckan = _stack.ckan
s3 = _stack.s3
Stack = _stack.Stack


@pytest.fixture
def unique() -> str:
    return f"ckanpub-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def stack_settings(stack: Any) -> Settings:
    v = stack.values
    return Settings(ckan_url=v["PUBLISHER_CKAN_URL"], ckan_api_key=v["PUBLISHER_CKAN_API_KEY"],
                    s3_endpoint=v["PUBLISHER_S3_ENDPOINT"],
                    s3_access_key=v["PUBLISHER_S3_ACCESS_KEY"],
                    s3_secret_key=v["PUBLISHER_S3_SECRET_KEY"],
                    s3_bucket=v["PUBLISHER_S3_BUCKET"], s3_region=v["PUBLISHER_S3_REGION"])


@pytest.fixture(scope="session")
def publisher_org(ckan: Any) -> Any:
    """An organisation for this session's datasets, purged afterwards with them."""
    name = f"ckanpub-org-{uuid.uuid4().hex[:8]}"
    yield name
    org = ckan.action.organization_show(id=name) if _exists(ckan, name) else None
    if org is None:
        return
    for pkg in ckan.action.package_search(fq=f"owner_org:{org['id']}", rows=1000,
                                          include_private=True, include_drafts=True,
                                          include_deleted=True)["results"]:
        ckan.action.dataset_purge(id=pkg["id"])
    ckan.action.organization_purge(id=org["id"])


def _exists(ckan: Any, name: str) -> bool:
    import ckanapi

    try:
        ckan.action.organization_show(id=name)
    except ckanapi.NotFound:
        return False
    return True
