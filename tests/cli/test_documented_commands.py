"""Every command that README.md and docs/ show works exactly as written.

The test collects, from README.md and every ``docs/**/*.md``:

- every line of a fenced shell block (``sh``, ``bash``, ``shell``, ``console``), continuation lines
  joined, ``$`` prompts and comments dropped: these must run **as written**;
- every inline code span that starts with ``aifactory`` or ``./dev.sh``: run as written, or, when it
  is a template (``aifactory ipam <stack> [--json]``), run with the example values of
  :data:`PLACEHOLDERS` with and without each ``[optional]`` part; a span that only names a command
  needing arguments (``aifactory plan``) is checked with ``--help``.

Each command runs in a temporary copy of the repository, in document order (one copy per
document), so ``project new`` followed by ``plan`` behaves as it would for a reader.
``aifactory ...`` runs in-process; ``./dev.sh ...`` runs the real script with a stand-in
``.venv/bin/aifactory`` that records its arguments, which are then run in-process (so the
script's argument handling is what is tested, without a second install). Offline runs are shared
between commands whose inputs are byte-identical (the plan is deterministic), which keeps the
test fast. Commands that cannot run here are skipped only by :data:`NOT_RUN_HERE`, each with its
reason; the test fails on any command that is neither run nor listed there, on any entry of that
list that no document uses any more, and on any placeholder :data:`PLACEHOLDERS` does not know.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import aifactory.cli.app as cli_app
from aifactory.cli.app import app
from tests.cli.shared_runs import shared_run_stack
from tests.support import REPO

NOT_RUN_HERE: dict[str, str] = {
    "pulumi ": "needs the Pulumi CLI and an Azure subscription; `aifactory plan` runs the same program offline",
    "pip install -e .": "installs into the caller's Python; ./dev.sh makes the same install into .venv for every "
    "other command here",
    "./dev.sh test": "is the CI run that executes this very test",
    "./dev.sh bench": "a multi-minute benchmark script, never a test (README, Performance)",
    "az ": "the Azure CLI against a real storage account",
    "aifactory --install-completion": "writes into the shell's start-up file; --show-completion prints the same "
    "script and is run",
}
"""Command prefixes that are not run here, and why."""

PLACEHOLDERS: dict[str, str] = {
    "<stack>": "dev",
    "<id>": "1",
    "<project>": "1",
    "<name>": "churn-model",
    "<principal>": "maja.ek@contoso.com",
    "<p>": "reader",
    "<e-mail>": "lead@contoso.com",
    "<cc>": "CC-1234",
    "<folder>": ".",
    "<profile>": "genai-basic",
}
"""Example values for the placeholders of command templates in prose and tables."""

SHELL_LANGUAGES = {"sh", "bash", "shell", "console", "shell-session", "zsh"}
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
_INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_OPTIONAL = re.compile(r"\[([^\[\]]+)\]")
_PLACEHOLDER = re.compile(r"<[^<>\s]+>")
_SHELL_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "&"}

runner = CliRunner()


@dataclass(frozen=True)
class Documented:
    """One command as a document shows it."""

    document: str
    line: int
    text: str
    fenced: bool

    def __str__(self) -> str:
        return f"{self.document}:{self.line}: {self.text}"


def _documents() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def _commands(path: Path) -> Iterator[Documented]:
    """Fenced shell lines and inline aifactory/dev.sh spans, in document order."""
    name = path.relative_to(REPO).as_posix()
    fence: str | None = None
    shell = False
    pending = ""
    start = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence, shell = opened.group(1), opened.group(2).lower() in SHELL_LANGUAGES
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
                continue
            if shell:
                text = line.strip()
                if not pending:
                    start = number
                if text.endswith("\\"):
                    pending += text[:-1] + " "
                    continue
                text, pending = (pending + text).strip(), ""
                text = text.removeprefix("$ ").strip()
                if text and not text.startswith("#"):
                    yield Documented(name, start, text, fenced=True)
            continue
        for span in _INLINE.findall(line):
            text = span.strip().removeprefix("$ ")
            if text == "aifactory" or text.startswith(("aifactory ", "./dev.sh")):
                yield Documented(name, number, text, fenced=False)


def _skip_reason(text: str) -> str | None:
    return next((why for prefix, why in NOT_RUN_HERE.items() if text.startswith(prefix)), None)


def _variants(command: Documented) -> list[list[str]]:
    """The argument lists a documented command stands for (templates expanded with PLACEHOLDERS)."""
    text = command.text
    if command.fenced:
        tokens = shlex.split(text, comments=True)
        assert not _PLACEHOLDER.search(text), f"{command}: a fenced command must run as written (no placeholders)"
        return [tokens]
    optional = _OPTIONAL.findall(text)
    pieces = _OPTIONAL.split(text)[::2]  # the text around the [optional] parts
    variants = []
    for chosen in itertools.product((False, True), repeat=len(optional)):
        filled = pieces[0]
        for included, part, rest in zip(chosen, optional, pieces[1:], strict=True):
            filled += (part.replace("...", "") if included else "") + rest
        for placeholder in _PLACEHOLDER.findall(filled):
            assert placeholder in PLACEHOLDERS, f"{command}: add an example value for {placeholder} to PLACEHOLDERS"
            filled = filled.replace(placeholder, PLACEHOLDERS[placeholder])
        variants.append(shlex.split(filled))
    return variants


def _needs_arguments(tokens: list[str]) -> bool:
    """Whether ``tokens`` only name an aifactory command (or group) that cannot run without arguments."""
    command: Any = typer.main.get_command(app)
    for token in tokens[1:]:
        sub = getattr(command, "commands", {}).get(token)
        if sub is None:
            return False
        command = sub
    if getattr(command, "commands", None):
        return True
    return any(getattr(param, "required", False) for param in command.params)


def _copy_repository(target: Path) -> Path:
    ignored = shutil.ignore_patterns(
        ".git", ".venv", "plans", "__pycache__", ".mypy_cache", ".ruff_cache", ".hypothesis", "*.egg-info", "build"
    )
    shutil.copytree(REPO, target, ignore=ignored, symlinks=True)
    return target


def _stand_in_venv(folder: Path) -> Path:
    """A .venv that dev.sh accepts as installed, whose aifactory records its arguments."""
    calls = folder / ".venv" / "aifactory-calls.jsonl"
    bin_dir = folder / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    stamp = hashlib.sha256((folder / "pyproject.toml").read_bytes()).hexdigest()[:12]
    (folder / ".venv" / f".installed-{stamp}").touch()
    script = bin_dir / "aifactory"
    recorder = "import json, sys; open(sys.argv[1], 'a').write(json.dumps(sys.argv[2:]) + chr(10))"
    script.write_text(
        f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -c {shlex.quote(recorder)} {shlex.quote(str(calls))} "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return calls


def _run_aifactory(argv: list[str], where: Documented) -> None:
    result = runner.invoke(app, argv, env={"COLUMNS": "100"})
    assert "Traceback" not in result.output, f"{where}\n{result.output}"
    assert result.exit_code == 0, f"{where} exited {result.exit_code}:\n{result.output}"


def _run_dev_sh(tokens: list[str], folder: Path, calls: Path, where: Documented) -> None:
    calls.unlink(missing_ok=True)
    done = subprocess.run(["sh", *tokens], cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{where}: ./dev.sh exited {done.returncode}:\n{done.stderr}"
    assert calls.exists(), f"{where}: ./dev.sh did not run aifactory (did it try to set up .venv again?)"
    for line in calls.read_text().splitlines():
        _run_aifactory(json.loads(line), where)


def _check(command: Documented, folder: Path, calls: Path) -> None:
    for tokens in _variants(command):
        assert not _SHELL_OPERATORS & set(tokens), f"{command}: one command per line (no pipes, && or redirections)"
        if tokens[0] == "./dev.sh":
            _run_dev_sh(tokens, folder, calls, command)
        elif tokens[0] == "aifactory":
            if not command.fenced and _needs_arguments(tokens):
                _run_aifactory([*tokens[1:], "--help"], command)  # names the command; its full form is elsewhere
            else:
                _run_aifactory(tokens[1:], command)
        else:
            pytest.fail(
                f"{command}: neither an aifactory nor a ./dev.sh command; run it here or add it to NOT_RUN_HERE"
            )


DOCUMENTED = [command for path in _documents() for command in _commands(path)]


def test_the_documents_show_commands_and_every_skip_is_still_needed() -> None:
    assert any(c.text.startswith("aifactory ") for c in DOCUMENTED)
    assert any(c.text.startswith("./dev.sh plan") for c in DOCUMENTED)
    unused = [prefix for prefix in NOT_RUN_HERE if not any(c.text.startswith(prefix) for c in DOCUMENTED)]
    assert not unused, f"no document uses these NOT_RUN_HERE entries any more; remove them: {unused}"


@pytest.mark.parametrize("document", [p.relative_to(REPO).as_posix() for p in _documents()])
def test_every_documented_command_works_as_written(
    document: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_repository(tmp_path / "repo")
    calls = _stand_in_venv(folder)
    monkeypatch.chdir(folder)
    monkeypatch.setattr(cli_app, "run_stack", shared_run_stack)
    ran, skipped = [], []
    for command in (c for c in DOCUMENTED if c.document == document):
        if _skip_reason(command.text):
            skipped.append(command)
            continue
        _check(command, folder, calls)
        ran.append(command)
    assert len(ran) + len(skipped) == sum(1 for c in DOCUMENTED if c.document == document)
