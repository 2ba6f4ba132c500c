"""Limits on input (publisher.limits): JSON and YAML read within them
(publisher.safeload), only regular files read (publisher.package.files), and
the limits as settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publisher import limits
from publisher.errors import InputError, SpecError
from publisher.limits import LimitError, Limits
from publisher.package.descriptor import parse_file
from publisher.package.files import check_regular
from publisher.package.loader import load_package
from publisher.safeload import LoadError, depth, load_json, load_yaml
from publisher.settings import load_settings
from publisher.yamlspec import read_document

LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi",
                                                                strict=True)])


def test_yaml_duplicate_keys_are_errors_with_both_lines() -> None:
    with pytest.raises(LoadError, match=r"line 3.*'steps' appears twice \(first at line 2\)"):
        load_yaml("name: x\nsteps: []\nsteps: [a]\n")
    with pytest.raises(LoadError, match="appears twice"):
        load_yaml("outer:\n  a: 1\n  a: 1\n")


def test_yaml_merge_keys_and_overriding_them_are_not_duplicates() -> None:
    data, _ = load_yaml("base: &b {a: 1, c: 2}\nchild:\n  <<: *b\n  a: 3\n")
    assert data["child"] == {"a": 3, "c": 2}


def test_yaml_billion_laughs_is_refused_by_the_node_limit_before_expanding() -> None:
    with pytest.raises(LimitError, match=r"too many nodes.*setting max_yaml_nodes") as caught:
        load_yaml(LAUGHS)
    assert caught.value.exit_code == 2
    assert "PUBLISHER_MAX_YAML_NODES" in str(caught.value)


def test_yaml_alias_count_limit() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 20) + "]\n"
    assert load_yaml(text)[0]["b"] == [1] * 20
    with limits.applied(Limits(max_yaml_aliases=10)), \
            pytest.raises(LimitError, match=r"too many aliases.*max_yaml_aliases"):
        load_yaml(text)


def test_yaml_alias_inside_its_own_anchor_is_refused() -> None:
    with pytest.raises(LoadError, match="alias refers to a value that contains it"):
        load_yaml("a: &a [1, *a]\n")


def test_yaml_flow_sequence_nested_100000_deep_is_refused_without_recursion() -> None:
    text = "steps: " + "[" * 100_000 + "]" * 100_000 + "\n"
    with pytest.raises(LimitError, match=r"nested too deeply at line 1.*max_nesting_depth"):
        load_yaml(text)


def test_yaml_nesting_through_aliases_counts() -> None:
    text = "a: &a " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n"
    with pytest.raises(LimitError, match="with its aliases expanded, is nested too deeply"):
        load_yaml(text)


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan", "1.0e+999999"])
def test_yaml_non_finite_numbers_are_refused(number: str) -> None:
    with pytest.raises(LoadError, match=r"line 2.*not finite"):
        load_yaml(f"name: x\nvalue: {number}\n")


def test_yaml_integer_too_long_to_read_is_an_error_not_a_crash() -> None:
    with pytest.raises(LoadError, match="integer too long"):
        load_yaml("value: " + "9" * 6000 + "\n")


@pytest.mark.parametrize("text", ['{"a": 1e999999}', '{"a": -1e400}', '{"a": NaN}',
                                  '{"a": Infinity}'])
def test_json_non_finite_numbers_are_refused(text: str) -> None:
    with pytest.raises(LoadError, match="finite"):
        load_json(text)


def test_json_nesting_limit() -> None:
    assert depth(load_json("[" * 64 + "]" * 64)) == 64
    with pytest.raises(LimitError, match="nested too deeply"):
        load_json("[" * 65 + "]" * 65)
    with pytest.raises(LimitError, match="nested too deeply"):
        load_json("[" * 100_000 + "]" * 100_000)
    assert depth({"a": [1, {"b": []}]}) == 4
    assert depth(5) == 0


def test_json_integer_too_long_is_an_error_not_a_crash() -> None:
    with pytest.raises(LoadError, match="not valid JSON"):
        load_json('{"a": ' + "9" * 6000 + "}")


def test_descriptor_number_beyond_a_float_is_refused_when_read(tmp_path: Path) -> None:
    path = tmp_path / "datapackage.json"
    path.write_text('{"name": "x", "resources": [{"name": "a", "path": "a.csv", '
                    '"bytes": 1e999999}]}', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON: the number 1e999999 is beyond"):
        parse_file(path)


def test_fifo_device_and_proc_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "datapackage.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="FIFO"):
        load_package(tmp_path)
    link = tmp_path / "zero.zip"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="is a device"):
        load_package(link)
    with pytest.raises(InputError, match="lies in /proc"):
        check_regular(Path("/proc/self/status"), "the file", limit="max_file_mb")


def test_resource_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text(
        '{"name": "x", "resources": [{"name": "a", "path": "a.csv"}]}', encoding="utf-8")
    os.mkfifo(tmp_path / "a.csv")
    with pytest.raises(InputError, match=r"resource 'a': 'a.csv' is a FIFO"):
        load_package(tmp_path)


def test_file_size_limits(tmp_path: Path) -> None:
    path = tmp_path / "datapackage.json"
    path.write_text('{"name": "x", "pad": "' + "x" * (2 * 1024**2) + '"}', encoding="utf-8")
    with limits.applied(Limits(max_descriptor_mb=1)), \
            pytest.raises(LimitError, match=r"2\.0 MiB: the limit is 1 MiB .*max_descriptor_mb"):
        parse_file(path)


def test_pipeline_and_policy_files_read_within_the_limits(tmp_path: Path) -> None:
    pipeline = tmp_path / "pipeline.yaml"
    pipeline.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(LimitError, match="too many nodes"):
        read_document(pipeline, "pipeline.schema.json", "pipeline")
    pipeline.write_text("name: a\nsteps: []\nsteps: []\n", encoding="utf-8")
    with pytest.raises(SpecError, match="'steps' appears twice"):
        read_document(pipeline, "pipeline.schema.json", "pipeline")
    fifo = tmp_path / "policy.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SpecError, match="the policy file is a FIFO"):
        read_document(fifo, "policies/policy.schema.json", "policy")


def test_limits_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISHER_MAX_COLUMNS", "12")
    found = load_settings().limits()
    assert found.max_columns == 12
    assert found.max_resources == Limits().max_resources
    for name, field in Limits.model_fields.items():
        assert field.description, name
    with limits.applied(found):
        assert limits.current().max_columns == 12
    assert limits.current().max_columns == Limits().max_columns
