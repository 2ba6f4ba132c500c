"""The pipeline.yaml `publisher init` writes beside the package it described.

Written as text so that every step carries its reason as a YAML comment, and
the dataset block says what to fill in; values are JSON scalars (valid YAML),
so no column name needs YAML quoting rules. Nothing from the data reaches the
file: names, counts and rule ids only.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from publisher.init.plan import Plan

DATASET_HINTS = (
    ("title", "FILL IN: the dataset's title, as the catalogue shows it"),
    ("description", "FILL IN: what the data hold, where they come from, how they were "
                    "anonymised"),
)
OPTIONAL = (
    "# contact_email: opendata@example.org       # GovData needs an e-mail or a URL",
    "# keywords: [Stadt, Thema]",
    "# themes: [GOVE]                             # EU data themes (schemas/pipeline.schema.json)",
    "# frequency: ANNUAL",
    "# municipality_key: \"14713000\"               # AGS of the area covered",
)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str, indent: str = "") -> list[str]:
    """A comment wrapped at 96 columns, continued lines indented."""
    return [f"{indent}# {line}" for line in textwrap.wrap(
        text, width=94 - len(indent), subsequent_indent="  ", break_long_words=False,
        break_on_hyphens=False)]


def pipeline_yaml(*, name: str, dataset: str, policy: str, plan: Plan,
                  publisher: str | None, licence: str | None, invalid: int) -> str:
    lines = [
        "# Written by `publisher init` for the package in this directory.",
        "# Fill in the dataset block below, read the steps and their reasons, then run:",
        "#   publisher run pipeline.yaml",
        "# Every step and parameter: schemas/pipeline.schema.json.",
        f"name: {_value(name)}",
        "source: .",
        f"policy: {_value(policy)}",
        "allow_remote: false",
    ]
    if invalid:
        lines.insert(4, f"# `publisher validate .` reports {invalid} error(s): fix them first.")
    if plan.steps:
        lines.append("steps:")
        for step in plan.steps:
            lines += [line for why in step.why for line in _comment(why, "  ")]
            lines.append(f"  - type: {step.type}")
            lines.append(f"    resource: {_value(step.resource)}")
            lines += [f"    {key}: {_value(value)}" for key, value in step.params.items()]
    else:
        lines.append("# The check found nothing that needs an anonymisation step.")
        lines.append("steps: []")
    if plan.open:
        lines.append("# Findings no step above settles: decide, then add a step, or for a "
                     "warning an")
        lines.append("# `accept:` entry with the reason (see schemas/pipeline.schema.json):")
        lines += [line for item in plan.open for line in _comment(f"  - {item}")]
    lines += ["target:", "  type: local", "dataset:",
              f"  name: {_value(dataset)}  # catalogue id: lower case, digits, '-'"]
    for key, hint in DATASET_HINTS:
        lines.append(f'  {key}: ""  # {hint}')
    if publisher:
        lines.append(f"  publisher: {_value(publisher)}")
    else:
        lines.append('  publisher: ""  # FILL IN: the publishing body (or run init with '
                     "--publisher)")
    if licence:
        lines.append(f"  license: {_value(licence)}")
    lines += [f"  {line}" for line in OPTIONAL]
    return "\n".join(lines) + "\n"
