"""`python -m publisher.reference [--check] [--root DIR]`: write the generated
schemas and docs of a checkout, or (--check) list the stale ones and exit 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from publisher.errors import PublisherError
from publisher.reference.generate import stale, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m publisher.reference",
        description="Generate the step and rule parameters in the JSON Schemas and the "
                    "docs/ pages (steps, rules, settings) from the code.")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; list the stale files and exit 1 if any")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the repository checkout (default: the current directory)")
    args = parser.parse_args(argv)
    try:
        paths = stale(args.root) if args.check else write(args.root)
    except PublisherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    verb = "stale" if args.check else "written"
    for path in paths:
        print(f"{verb}: {path}")
    if not paths:
        print("all generated files are up to date")
    return 1 if args.check and paths else 0


if __name__ == "__main__":
    sys.exit(main())
