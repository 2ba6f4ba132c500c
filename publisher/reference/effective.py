"""A policy as it applies after `extends`: every rule with its severity and all its
parameters (the defaults of its Params model included), as a policy file that
stands on its own."""

from __future__ import annotations

from typing import Any

import yaml

from publisher.rules.policy import Policy


def effective(policy: Policy) -> dict[str, Any]:
    """The policy as data: loadable as a policy file with the same rules."""
    rules = [{"id": rule.id, "type": rule.type, "severity": str(rule.severity),
              "params": rule.params.model_dump(mode="json")} for rule in policy.build()]
    return {"name": policy.name, "description": policy.description, "extends": None,
            "not_checked": list(policy.own_not_checked), "rules": rules}


def effective_yaml(policy: Policy) -> str:
    files = "\n".join(f"#   {path}" for path in policy.chain)
    header = (f"# The policy '{policy.name}' as it applies, after extends: every rule with its "
              f"severity\n# and all its parameters, defaults included. Read from:\n{files}\n")
    body = yaml.safe_dump(effective(policy), sort_keys=False, allow_unicode=True, width=88)
    return header + body
