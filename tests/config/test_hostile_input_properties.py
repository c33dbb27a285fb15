"""Properties of the loader on arbitrary input: never a traceback, never a hang, always located problems.

Hypothesis feeds random bytes, random YAML-looking text, random YAML documents and near-valid
project files with one field replaced by anything; the reader and the validators must answer each
with data or :class:`ConfigProblem` s (rendered in bounded size), within a bounded time per case.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aifactory.config.loader import parse_stack_config, project_problems, read_stack_file, stack_values
from aifactory.config.yaml_io import decode_utf8, parse_yaml
from aifactory.errors import ConfigError, ConfigProblem
from tests.support import BASE_STACK, project

SECONDS_PER_CASE = 2.0
FAST = settings(max_examples=100, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(FAST, max_examples=50)  # whole documents through every validator: the costlier cases

_TRICKY_SCALARS = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "OFF",
        "010",
        "0o17",
        "0x1F",
        "1:30",
        "1_000",
        "0b101",
        "~",
        "null",
        "true",
        "False",
        ".inf",
        "-.nan",
        "2024-07-18",
        "1e3",
        "'quoted'",
        "&anchor x",
        "*alias",
        "<<",
        "!!python/object:os.system",
        "? key",
        "[",
        "{",
        "#",
        "%TAG",
        "---",
        "...",
        "\t",
        "\x00",
        "\ufeff",
        "[bold]x[/]",
        "9" * 60,
    ]
)
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40), _TRICKY_SCALARS
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.dictionaries(
            st.one_of(st.text(max_size=12), st.sampled_from(sorted(project(1, "x")))), children, max_size=6
        ),
    ),
    max_leaves=40,
)
_YAMLISH = st.text(
    alphabet=st.sampled_from([*":-[]{}&*!|>'\"#%@`,?\n \tabc019.<~\\", "\x00", "é", "\ufeff"]), max_size=300
)


def _bounded(problems: list[ConfigProblem]) -> None:
    for problem in problems:
        assert isinstance(problem, ConfigProblem)
        assert len(problem.render()) < 2_000 + len(problem.field) + len(problem.message)
        json.dumps(problem.as_dict())


def _timed(check: Any, *args: Any, **kwargs: Any) -> Any:
    started = time.perf_counter()
    result = check(*args, **kwargs)
    assert time.perf_counter() - started < SECONDS_PER_CASE
    return result


def _load_text(text: str) -> None:
    raw, problems = _timed(parse_yaml, text, "projects/001-x.yaml", aliases=False)
    _bounded(problems)
    if not problems:
        _, found = _timed(project_problems, raw, "projects/001-x.yaml", "001-x.yaml")
        _bounded(found)


@FAST
@given(st.binary(max_size=3_000))
def test_random_bytes_never_raise(data: bytes) -> None:
    text, problems = decode_utf8(data, "projects/001-x.yaml")
    _bounded(problems)
    if text is not None:
        _load_text(text)


@FAST
@given(_YAMLISH)
def test_random_yaml_like_text_never_raises(text: str) -> None:
    _load_text(text)


_UNQUOTED = st.lists(
    st.tuples(st.sampled_from(sorted(project(1, "x"))), _TRICKY_SCALARS, st.sampled_from(["", "  ", "- "])),
    max_size=12,
).map(lambda lines: "".join(f"{indent}{key}: {value}\n" for key, value, indent in lines))


@FAST
@given(_UNQUOTED)
def test_unquoted_tricky_scalars_never_raise(text: str) -> None:
    _load_text(text)


@FEWER
@given(_DOCUMENTS)
def test_random_yaml_documents_never_raise(document: Any) -> None:
    _load_text(yaml.safe_dump(document, allow_unicode=True))


@FEWER
@given(st.sampled_from(sorted(project(1, "x"))), _DOCUMENTS)
def test_near_valid_projects_never_raise(field: str, value: Any) -> None:
    spec = {**project(1, "x"), field: value}
    _load_text(yaml.safe_dump(spec, allow_unicode=True))


@pytest.fixture(scope="module")
def stack_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stack")


@FEWER
@given(st.sampled_from(sorted(BASE_STACK)), _DOCUMENTS)
def test_stack_files_with_any_value_raise_only_config_errors(stack_folder: Path, key: str, value: Any) -> None:
    values = {**BASE_STACK, key: value}
    (stack_folder / "Pulumi.dev.yaml").write_text(
        yaml.safe_dump({"config": {f"aifactory:{k}": v for k, v in values.items()}}, allow_unicode=True)
    )
    started = time.perf_counter()
    try:
        config_map, display = read_stack_file(stack_folder, "dev")
        parse_stack_config(stack_values(config_map), display)
    except ConfigError as exc:
        _bounded(exc.problems)
    assert time.perf_counter() - started < SECONDS_PER_CASE
