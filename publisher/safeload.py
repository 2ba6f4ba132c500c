"""JSON and YAML read within the limits (publisher.limits), for descriptors,
schemas, pipelines and policies alike.

YAML: nesting is counted while the document is composed (before Python's
stack could overflow); aliases are counted, and the values the document
expands to, each alias with everything it refers to (a "billion laughs" file
of a few hundred bytes expands to 10^9), before anything is built from it.
An alias inside what it refers to (a cycle), a key given twice in one
mapping, a non-finite number (.inf, .nan, 1.0e999999) and an integer too
long to convert are errors with their line. JSON: NaN and Infinity literals
and numbers beyond a float's range are errors; nesting is checked on the
parsed value. Errors are ValueError with a message naming no value but
keys and lines; callers wrap them in their own error type.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml

from publisher import limits
from publisher.limits import LimitError


class LoadError(ValueError):
    """A JSON or YAML text that cannot be used (the message says why and where)."""


def _at(mark: yaml.Mark | None) -> str:
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


class _Loader(yaml.SafeLoader):
    """SafeLoader that counts depth and aliases while composing, refuses duplicate
    keys and non-finite numbers while constructing."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.depth = 0
        self.aliases = 0
        self.limits = limits.current()

    def _mark(self) -> yaml.Mark:
        mark: yaml.Mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        return mark

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.limits.max_yaml_aliases:
                raise limits.exceeded("max_yaml_aliases", "the YAML has too many aliases "
                                      f"(*name){_at(self._mark())}")
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > self.limits.max_nesting_depth:
            raise limits.exceeded("max_nesting_depth",
                                  f"the YAML is nested too deeply{_at(self._mark())}")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[tuple[str, str], yaml.Node] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            if (key.tag, key.value) in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"the key {key.value[:80]!r} appears twice (first at line "
                    f"{seen[(key.tag, key.value)].start_mark.line + 1}); "
                    "only one may be given", key.start_mark)
            seen[(key.tag, key.value)] = key
        return super().construct_mapping(node, deep=deep)

    def construct_finite_float(self, node: yaml.ScalarNode) -> float:
        value = float(self.construct_yaml_float(node))
        if not math.isfinite(value):
            raise yaml.constructor.ConstructorError(
                None, None, "a number that is not finite (.inf, .nan or too large) is not "
                            "allowed", node.start_mark)
        return value

    def construct_checked_int(self, node: yaml.ScalarNode) -> int:
        try:
            return int(self.construct_yaml_int(node))
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, "an integer too long to read", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_finite_float)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_checked_int)


def _expanded(root: yaml.Node) -> tuple[int, int]:
    """(values, depth) of the document with every alias expanded, counted on the
    node graph (an aliased node is one shared object) without expanding it;
    LoadError for an alias inside what it refers to."""
    size: dict[int, tuple[int, int]] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            active.discard(key)
            counted = [size[id(c)] for c in children]
            size[key] = (1 + sum(n for n, _ in counted), 1 + max((d for _, d in counted),
                                                                  default=0))
            continue
        if key in size:
            continue
        if key in active:
            raise LoadError(f"an alias refers to a value that contains it{_at(node.start_mark)}")
        active.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in active:
                raise LoadError("an alias refers to a value that contains it"
                                f"{_at(child.start_mark)}")
            if id(child) not in size:
                stack.append((child, False))
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def load_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The value of a one-document YAML text, and its node (for line numbers).

    LimitError past a limit, LoadError for anything else that is wrong."""
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters at once
        raise LoadError(f"invalid YAML: {exc}") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        values, depth = _expanded(node)
        if values > loader.limits.max_yaml_nodes:
            raise limits.exceeded(
                "max_yaml_nodes", f"the YAML expands to too many nodes ({values:,} values "
                "with its aliases expanded; aliases may not make a small file grow without "
                "bound)")
        if depth > loader.limits.max_nesting_depth:
            raise limits.exceeded("max_nesting_depth",
                                  "the YAML, with its aliases expanded, is nested too deeply")
        return loader.construct_document(node), node
    except LimitError:
        raise
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or "invalid YAML"
        raise LoadError(f"invalid YAML{_at(exc.problem_mark)}: {problem}") from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise LoadError("the YAML is nested too deeply") from None
    finally:
        loader.dispose()


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise LoadError(f"the number {text[:24]} is beyond the range of a finite number")
    return value


def _no_constant(name: str) -> Any:
    raise LoadError(f"the literal {name} is not allowed (only finite numbers are)")


def load_json(text: str) -> Any:
    """The value of a JSON text. LimitError past the nesting limit, LoadError
    (or json.JSONDecodeError, a ValueError with line and column) otherwise."""
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise limits.exceeded("max_nesting_depth", "the JSON is nested too deeply") from None
    except json.JSONDecodeError:
        raise
    except LoadError:
        raise
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise LoadError(f"not valid JSON: {str(exc)[:200]}") from None
    if depth(value) > limits.current().max_nesting_depth:
        raise limits.exceeded("max_nesting_depth", "the JSON is nested too deeply")
    return value


def depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (a scalar: 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, list):
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((child, level) for child in item)
    return deepest
