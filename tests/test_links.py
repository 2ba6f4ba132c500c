"""Every relative link in the README and the other Markdown pages of the repository
(outside tests/) points at a file that exists, and every #anchor at a heading."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from tests.conftest import ROOT

SKIP = {".git", ".venv", "node_modules", "target", "tests", ".publisher"}


def pages(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in root.rglob("*.md")
                  if not SKIP & set(p.relative_to(root).parts[:-1]))


def links(path: Path) -> list[str]:
    """The targets of the Markdown links and images of a page."""
    found = []
    for token in MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8")):
        for child in token.children or []:
            target = child.attrGet("href") if child.type == "link_open" else (
                child.attrGet("src") if child.type == "image" else None)
            if isinstance(target, str):
                found.append(target)
    return found


@cache
def anchors(path: Path) -> frozenset[str]:
    """GitHub's ids for the headings of a page (lower case, punctuation dropped,
    spaces as hyphens, -1, -2 ... for repeats)."""
    seen: Counter[str] = Counter()
    ids = set()
    tokens = MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8"))
    for opening, inline in itertools.pairwise(tokens):
        if opening.type != "heading_open":
            continue
        slug = re.sub(r"[^\w\- ]", "", inline.content.strip().lower()).replace(" ", "-")
        ids.add(f"{slug}-{seen[slug]}" if seen[slug] else slug)
        seen[slug] += 1
    return frozenset(ids)


def broken(path: Path) -> list[str]:
    """The relative links of a page that point nowhere."""
    out = []
    for target in links(path):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # an absolute URL: not checked here
        file = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not file.exists():
            out.append(f"{target}: no such file")
        elif parts.fragment and file.suffix == ".md" and parts.fragment not in anchors(file):
            out.append(f"{target}: no heading #{parts.fragment} in {file.name}")
    return out


def test_the_readme_and_the_docs_are_walked() -> None:
    found = {p.relative_to(ROOT).as_posix() for p in pages()}
    assert {"README.md", "docs/RULES.md", "docs/steps.md", "docs/settings.md",
            "deploy/README.md"} <= found


def test_every_relative_link_points_at_a_file_that_exists() -> None:
    problems = [f"{page.relative_to(ROOT)}: {problem}" for page in pages()
                for problem in broken(page)]
    assert not problems, "\n".join(problems)


def test_the_readme_links_the_generated_docs() -> None:
    targets = {urlsplit(t).path for t in links(ROOT / "README.md")}
    assert {"docs/RULES.md", "docs/steps.md", "docs/settings.md"} <= targets


def test_a_broken_link_and_a_missing_heading_are_found(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "there.md").write_text("# A heading\n\n## Two words\n",
                                                encoding="utf-8")
    page = tmp_path / "README.md"
    page.write_text("[ok](docs/there.md) [ok](docs/there.md#two-words) [web](https://x.org/a)\n"
                    "[gone](RULES.md) ![img](docs/missing.png) [anchor](docs/there.md#nope)\n"
                    "[here](#a-heading)\n", encoding="utf-8")
    assert broken(page) == ["RULES.md: no such file", "docs/missing.png: no such file",
                            "docs/there.md#nope: no heading #nope in there.md",
                            "#a-heading: no heading #a-heading in README.md"]
    assert pages(tmp_path) == [tmp_path / "README.md", tmp_path / "docs" / "there.md"]
