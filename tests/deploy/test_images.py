"""The images that run the publisher build the compiled extension (native/, Rust, maturin)
in a build stage with a pinned toolchain, install it beside the publisher, and fail to
build unless the engine loads it. No image is built here: the Dockerfiles are read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
NATIVE = ROOT / "native"


@dataclass
class Stage:
    base: str
    name: str | None
    text: str  # its instructions, continuation lines joined

    def instructions(self, op: str) -> list[str]:
        return re.findall(rf"^{op}\s+(.+)$", self.text, flags=re.M)


def stages(dockerfile: Path) -> list[Stage]:
    text = re.sub(r"\\\n\s*", " ", dockerfile.read_text(encoding="utf-8"))
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    out = []
    for part in re.split(r"^(?=FROM\s)", text, flags=re.M):
        head = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", part, flags=re.I)
        if head:
            out.append(Stage(head.group(1), head.group(2), part))
    return out


def publisher_images() -> list[Path]:
    found = [p for p in DEPLOY.rglob("Dockerfile") if "pip install ." in p.read_text()]
    assert found, "no image installs the publisher"
    return found


def native_sources() -> list[str]:
    """What the extension is built from: native/ without build output."""
    return sorted(p.relative_to(ROOT).as_posix() for p in NATIVE.rglob("*")
                  if p.is_file() and "target" not in p.relative_to(NATIVE).parts)


def check_builds_extension(dockerfile: Path) -> None:
    all_stages = stages(dockerfile)
    final = all_stages[-1]
    builders = [s for s in all_stages[:-1]
                if any("./native" in r or "native/Cargo.toml" in r for r in s.instructions("RUN"))]
    assert builders, f"{dockerfile}: no stage builds native/"
    builder = builders[0]
    assert builder.name, f"{dockerfile}: the build stage has no name to copy from"
    runs = " ".join(builder.instructions("RUN"))
    toolchain = re.search(r"RUST_TOOLCHAIN=(\S+)", builder.text)
    assert toolchain and re.fullmatch(r"\d+\.\d+\.\d+", toolchain.group(1)), (
        f"{dockerfile}: the Rust toolchain is not pinned to a release")
    assert "--default-toolchain" in runs and "RUST_TOOLCHAIN" in runs
    assert "--locked" in runs, f"{dockerfile}: the crates are not the ones of Cargo.lock"
    assert re.search(r"pip wheel\s.*\./native|maturin build", runs)

    copied = " ".join(builder.instructions("COPY"))
    for source in native_sources():
        parents = [source, *(p.as_posix() for p in Path(source).parents if p != Path("."))]
        assert any(re.search(rf"(^|\s){re.escape(p)}/?(\s|$)", copied) for p in parents), (
            f"{dockerfile}: {source} is not copied into the build stage")

    wheels = [c for c in final.instructions("COPY") if f"--from={builder.name}" in c]
    assert wheels, f"{dockerfile}: the final stage takes nothing from {builder.name}"
    install = next(r for r in final.instructions("RUN") if "pip install ." in r)
    assert re.search(r"publisher_kernels-\*\.whl", install), (
        f"{dockerfile}: the extension's wheel is not installed with the publisher")
    assert "native import available; assert available()" in install, (
        f"{dockerfile}: the build does not fail when the engine cannot load the extension")
    assert "cargo" not in " ".join(final.instructions("RUN")), "a toolchain in the final image"


@pytest.mark.parametrize("dockerfile", publisher_images(), ids=lambda p: p.parent.name)
def test_images_that_run_the_publisher_build_the_extension(dockerfile: Path) -> None:
    check_builds_extension(dockerfile)


def test_the_check_fails_for_an_image_without_the_extension(tmp_path: Path) -> None:
    plain = tmp_path / "Dockerfile"
    plain.write_text("FROM python:3.11.11-slim-bookworm\nCOPY . .\nRUN pip install .\n")
    with pytest.raises(AssertionError, match="no stage builds native/"):
        check_builds_extension(plain)


def test_the_check_fails_when_a_source_of_the_extension_is_not_copied(tmp_path: Path) -> None:
    text = (DEPLOY / "api" / "Dockerfile").read_text(encoding="utf-8")
    broken = tmp_path / "Dockerfile"
    broken.write_text(text.replace("COPY native/src ./native/src\n", ""), encoding="utf-8")
    with pytest.raises(AssertionError, match=r"native/src/\S+ is not copied"):
        check_builds_extension(broken)
