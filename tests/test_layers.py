"""No module imports upward: the rooms of publisher/, from top to bottom, and an
AST scan of every import in publisher/**/*.py (at the top of a module, inside a
function, under `if TYPE_CHECKING:`) that names any import of a higher room.

The rooms, top to bottom (a room may import its own modules and every room below it):

1. interface: cli.py, console-facing render.py and progress_display.py, api/, web/,
   reference/ (the `steps`, `rules` and `policy` commands and the generated docs)
2. services: init/, harvest/, handover/, reporting/
3. pipeline/: the run, its spec, journal, audit
4. cluster/: the passes over rows on a Dask cluster's workers (publisher.passes)
5. publishing: targets/, metadata/, catalog/, conformance/
6. backends: ckan/ (the one CKAN client), storage/
7. gate: rules/, steps/, passes.py (where the passes over rows run: the seam the
   cluster implements, so rules and steps never import it)
8. reading: detect/, validate/
9. package: package/, yamlspec.py (spec files read and checked), progress.py (it
   counts a resource's records)
10. core: errors, settings, registry, report, masking, params, anonymity, licences,
    limits, safeload, resources, faults, console (what every command prints
    through), params_schema (the JSON Schemas of parameter models: the targets'
    pipeline schema and the generated docs use them), memory (freed memory handed
    back between stages), the package's __init__

A new module must be given a room here; a module that needs a higher room's
function takes it as a parameter (a seam like publisher.passes), or the shared
part moves down.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

ROOMS: list[tuple[str, tuple[str, ...]]] = [
    ("interface", ("publisher.cli", "publisher.render", "publisher.progress_display",
                   "publisher.api", "publisher.web", "publisher.reference")),
    ("services", ("publisher.init", "publisher.harvest", "publisher.handover",
                  "publisher.reporting")),
    ("pipeline", ("publisher.pipeline",)),
    ("cluster", ("publisher.cluster",)),
    ("publishing", ("publisher.targets", "publisher.metadata", "publisher.catalog",
                    "publisher.conformance")),
    ("backends", ("publisher.ckan", "publisher.storage")),
    ("gate", ("publisher.rules", "publisher.steps", "publisher.passes")),
    ("reading", ("publisher.detect", "publisher.validate")),
    ("package", ("publisher.package", "publisher.yamlspec", "publisher.progress")),
    ("core", ("publisher", "publisher.errors", "publisher.settings", "publisher.registry",
              "publisher.report", "publisher.masking", "publisher.params",
              "publisher.anonymity", "publisher.licences", "publisher.limits",
              "publisher.safeload", "publisher.resources", "publisher.faults",
              "publisher.console", "publisher.params_schema", "publisher.memory")),
]


@dataclass(frozen=True)
class Import:
    file: Path
    line: int
    module: str  # the module imported, absolute


def room_of(module: str) -> int | None:
    """The index of the module's room (0 the top), by the longest prefix that names
    it; None when no room names it."""
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(ROOMS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                    best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    if best is None or (best[0] == len("publisher") and module != "publisher"):
        return None  # a module under publisher/ that no room names
    return best[1]


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path) -> list[Import]:
    """Every import of a publisher module in the file, wherever it stands in it."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # `from publisher.x import y` may import the module publisher.x.y
            names = [f"{base}.{a.name}" if _is_module(f"{base}.{a.name}", root) else base
                     for a in node.names]
        else:
            continue
        found += [Import(path, node.lineno, name) for name in dict.fromkeys(names)
                  if name == "publisher" or name.startswith("publisher.")]
    return found


def _is_module(name: str, root: Path) -> bool:
    path = root.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def upward_imports(root: Path) -> list[str]:
    """Each import of a higher room under `root` (a publisher/ directory), as
    'file:line: module imports module (room -> higher room)'."""
    problems = []
    for path in sorted(root.rglob("*.py")):
        here = module_name(path, root)
        mine = room_of(here)
        for imp in imports(path, root):
            theirs = room_of(imp.module)
            if mine is not None and theirs is not None and theirs < mine:
                problems.append(f"{path.relative_to(root.parent)}:{imp.line}: {here} imports "
                                f"{imp.module} ({ROOMS[mine][0]} -> {ROOMS[theirs][0]}, "
                                "a higher room)")
    return problems


def test_every_module_has_a_room() -> None:
    root = ROOT / "publisher"
    homeless = [str(p.relative_to(ROOT)) for p in sorted(root.rglob("*.py"))
                if room_of(module_name(p, root)) is None]
    assert not homeless, "give these modules a room in ROOMS: " + ", ".join(homeless)


def test_no_module_imports_a_higher_room() -> None:
    problems = upward_imports(ROOT / "publisher")
    assert not problems, "imports of a higher room:\n" + "\n".join(problems)


def test_the_scan_sees_imports_in_functions_type_checking_and_relative(tmp_path: Path) -> None:
    root = tmp_path / "publisher"
    for name in ("rules", "cluster", "cli"):
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "cluster" / "scan.py").write_text("")
    (root / "rules" / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from publisher.errors import X\n"  # down: allowed
        "if TYPE_CHECKING:\n"
        "    from publisher.cluster import scan\n"
        "def f():\n"
        "    import publisher.cli\n"
        "    from ..cluster.scan import prescan\n"
        "    from . import b\n")  # the same room: allowed
    (root / "rules" / "b.py").write_text("")
    assert upward_imports(root) == [
        "publisher/rules/a.py:4: publisher.rules.a imports publisher.cluster.scan "
        "(gate -> cluster, a higher room)",
        "publisher/rules/a.py:6: publisher.rules.a imports publisher.cli "
        "(gate -> interface, a higher room)",
        "publisher/rules/a.py:7: publisher.rules.a imports publisher.cluster.scan "
        "(gate -> cluster, a higher room)",
    ]
