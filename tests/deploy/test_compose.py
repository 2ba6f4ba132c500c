"""deploy/compose.yaml: valid against the Compose Specification's JSON Schema, every
image pinned, and the production CKAN image pinned like the local stack. Needs no stack.

The schema is compose-spec.json as shipped inside the Go module
github.com/compose-spec/compose-go/v2 (Apache-2.0, the loader Docker Compose itself
uses), fetched with `go mod download` from the Go module proxy into the module cache;
$COMPOSE_SPEC_SCHEMA may point at a copy instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
COMPOSE_GO = "github.com/compose-spec/compose-go/v2@v2.16.2"
# ${VAR}, ${VAR:-default}, ${VAR:?message}; $$ escapes a dollar
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+][^}]*)?\}")


def go_binary() -> str:
    found = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists()
                                   else None)
    if found is None:
        pytest.fail("no Go toolchain: needed to fetch compose-spec.json from " + COMPOSE_GO)
    return found


def compose_schema() -> dict[str, Any]:
    if os.environ.get("COMPOSE_SPEC_SCHEMA"):
        path = Path(os.environ["COMPOSE_SPEC_SCHEMA"])
    else:
        out = subprocess.run(
            [go_binary(), "mod", "download", "-json", COMPOSE_GO], capture_output=True,
            text=True, timeout=300, check=False, cwd=REPO,
            env={**os.environ, "GOFLAGS": "-mod=mod", "GO111MODULE": "on"},
        )
        assert out.returncode == 0, f"go mod download {COMPOSE_GO} failed: {out.stderr[-2000:]}"
        path = Path(json.loads(out.stdout)["Dir"]) / "schema" / "compose-spec.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def load_compose(env: dict[str, str] | None = None) -> dict[str, Any]:
    """compose.yaml after variable interpolation, as `docker compose` validates it."""
    values = env if env is not None else dotenv(DEPLOY / ".env.example")
    raw = COMPOSE.read_text(encoding="utf-8").replace("$$", "\0")

    def sub(match: re.Match[str]) -> str:
        name, text = match.group(1), match.group(0)
        if values.get(name):
            return values[name]
        default = re.match(r"\$\{\w+:?-(.*)\}$", text)
        return default.group(1) if default else ""

    data: dict[str, Any] = yaml.safe_load(INTERPOLATION.sub(sub, raw).replace("\0", "$"))
    return data


def dotenv(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines()
             if "=" in line and not line.lstrip().startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return compose_schema()


def test_compose_file_is_valid_against_the_compose_spec(schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(load_compose()), key=lambda e: list(e.path))

    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_check_catches_an_invalid_file(schema: dict[str, Any]) -> None:
    broken = load_compose()
    broken["services"]["ckan"]["restart"] = ["always"]
    broken["services"]["db"]["unknown_key"] = True

    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(broken))

    assert len(errors) >= 2


def image_is_pinned(image: str) -> bool:
    if "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in {"", "latest", "stable", "main", "master"}


def test_every_image_tag_is_pinned() -> None:
    services = load_compose()["services"]
    images = {name: svc.get("image", "") for name, svc in services.items()}

    assert all(images.values()), f"services without an image: {images}"
    unpinned = {name: image for name, image in images.items() if not image_is_pinned(image)}
    assert not unpinned, f"images without a pinned tag: {unpinned}"
    raw = COMPOSE.read_text(encoding="utf-8")
    assert not re.search(r"image:\s*\S*\$\{", raw), "an image tag comes from a variable"


@pytest.mark.parametrize("image", ["postgres", "postgres:latest", "minio/minio:",
                                   "localhost:5000/app", "redis:7.4.2"])
def test_pin_check_rejects_floating_tags(image: str) -> None:
    assert image_is_pinned(image) is (image == "redis:7.4.2")


def test_dockerfiles_pin_their_base_images() -> None:
    for dockerfile in DEPLOY.rglob("Dockerfile"):
        for base in re.findall(r"^FROM\s+(\S+)", dockerfile.read_text(), flags=re.M):
            assert image_is_pinned(base), f"{dockerfile}: FROM {base} is not pinned"


def test_production_ckan_matches_the_local_stack() -> None:
    requirements = (DEPLOY / "local" / "requirements-ckan.txt").read_text()
    dockerfile = (DEPLOY / "ckan" / "Dockerfile").read_text()
    ini = (DEPLOY / "ckan" / "publisher.ini").read_text()
    ckan_version = re.search(r"^ckan\[requirements\]==(\S+)", requirements, re.M)
    assert ckan_version and f"FROM ckan/ckan-base:{ckan_version.group(1)}" in dockerfile
    for ext in ("ckanext-scheming", "ckanext-dcat", "ckanext-harvest"):
        pin = re.search(rf"^{ext}==(\S+)", requirements, re.M)
        assert pin and f"{ext}=={pin.group(1)}" in dockerfile
    plugins = re.search(r"^ckan\.plugins\s*=\s*(.+)$", ini, re.M)
    image_plugins = re.search(r'CKAN__PLUGINS="([^"]+)"', dockerfile)
    assert plugins and image_plugins
    assert image_plugins.group(1).split() == [*plugins.group(1).split(), "envvars"]
