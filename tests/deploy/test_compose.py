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


def _dockerfile_env(text: str) -> dict[str, str]:
    """KEY=VALUE pairs of the ENV instructions (continuation lines joined)."""
    joined = re.sub(r"\\\n\s*", " ", text)
    pairs: dict[str, str] = {}
    for line in re.findall(r"^ENV\s+(.+)$", joined, flags=re.M):
        pairs.update(dict(re.findall(r"(\w+)=(\S+)", line)))
    return pairs


def test_images_that_run_the_publisher_fetch_the_official_shapes() -> None:
    """Every image that installs the publisher fetches the DCAT-AP.de shapes at build
    time (`publisher conformance fetch`, pinned), checks them, and points
    PUBLISHER_CONFORMANCE_DIR at them, outside the volumes of compose.yaml."""
    volumes = [str(v).split(":", 1)[1] for svc in load_compose()["services"].values()
               for v in svc.get("volumes", []) if isinstance(v, str) and ":" in v]
    images = [p for p in DEPLOY.rglob("Dockerfile") if "pip install ." in p.read_text()]
    assert images, "no image installs the publisher"
    for dockerfile in images:
        text = dockerfile.read_text(encoding="utf-8")
        directory = _dockerfile_env(text).get("PUBLISHER_CONFORMANCE_DIR")
        assert directory, f"{dockerfile}: PUBLISHER_CONFORMANCE_DIR is not set"
        run = " ".join(re.findall(r"^RUN\s+(.+?)(?<!\\)$", re.sub(r"\\\n", " ", text),
                                  flags=re.M))
        assert re.search(r"publisher conformance fetch --dir \"?\$PUBLISHER_CONFORMANCE_DIR",
                         run), f"{dockerfile}: the shapes are not fetched at build time"
        assert "publisher conformance status" in run, f"{dockerfile}: fetched, not checked"
        assert run.index("pip install .") < run.index("publisher conformance fetch")
        assert not any(directory == v or directory.startswith(v.rstrip("/") + "/")
                       for v in volumes), f"{dockerfile}: {directory} lies in a volume"
