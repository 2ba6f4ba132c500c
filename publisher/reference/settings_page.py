"""Every setting, from the Settings model and its Field descriptions (docs/settings.md)."""

from __future__ import annotations

import json
from typing import Any

from publisher.params_schema import models_schema, resolve, type_text
from publisher.reference.markdown import NOTICE, cell
from publisher.settings import Settings

INTRO = """\
The publisher needs no configuration for the embedded default (a local
catalogue and files in `./.publisher`). Each setting below comes, first that
is given, from a command-line flag (`--home` on most commands, `--public-url`
on `serve`), an environment variable, or a TOML file: `publisher.toml` in the
working directory, or the file `PUBLISHER_CONFIG` names. A list is written
in an environment variable as JSON, e.g.
`PUBLISHER_REMOTE_HOSTS='["daten.example.org", "*.example.org"]'`. Secrets (the
pseudonym key, tokens, S3 and CKAN keys) are never written to a log, a report
or a published file; keep them out of files under version control."""

EXAMPLE = """\
# publisher.toml
home = "/var/lib/publisher"
public_url = "https://daten.example.org"
ckan_url = "https://ckan.example.org"
s3_bucket = "open-data"
remote_hosts = ["geodaten.example.org"]"""


def settings_page() -> str:
    refs, defs = models_schema([Settings])
    schema = resolve(refs[Settings], defs)
    prefix = str(Settings.model_config.get("env_prefix", ""))
    lines = ["# Settings", "", NOTICE.format(source="publisher/settings.py"), "", INTRO, "",
             "| setting (TOML key) | environment variable | type | default | description |",
             "|---|---|---|---|---|"]
    for name, prop in schema["properties"].items():
        lines.append(f"| `{name}` | `{prefix}{name.upper()}` | {_type(prop, defs)} | "
                     f"{_default(prop)} | {cell(str(prop.get('description', '')))} |")
    lines += ["", "For example:", "", "```toml", EXAMPLE, "```"]
    return "\n".join(lines) + "\n"


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    options = [s for s in prop.get("anyOf", [prop]) if s.get("type") != "null"]
    formats = {s.get("format") for s in options}
    if "password" in formats:
        return "secret"
    if "path" in formats:
        return "path"
    return cell(type_text(prop, defs))


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop or prop["default"] is None:
        return "-"
    return cell(f"`{json.dumps(prop['default'], ensure_ascii=False)}`")
