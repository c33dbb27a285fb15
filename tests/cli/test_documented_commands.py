"""Every command that README.md and docs/ show works exactly as written.

The test collects, from README.md and every ``docs/**/*.md``:

- every line of a fenced shell block (``sh``, ``bash``, ``shell``, ``console``), continuation lines
  joined, ``$`` prompts and comments dropped: these must run **as written** (a block that lists
  command templates, ``aifactory plan <stack>``, runs them with the example values below);
- every inline code span that starts with ``aifactory`` or ``./dev.sh``: run as written, or, when it
  is a template (``aifactory ipam <stack> [--json]``), run with the example values of
  :data:`PLACEHOLDERS` with and without each ``[optional]`` part; a span that only names a command
  needing arguments (``aifactory plan``) is checked with ``--help``.

Each command runs in a temporary copy of the repository (a git repository with ``main`` and one
commit before it, for ``--against``), in document order (one copy per document), so ``project new``
followed by ``plan`` behaves as it would for a reader; ``cd`` moves the rest of its block, and a
trailing ``> file`` writes the output there. A command succeeds with exit code 0, or with the
other codes its command defines for a working run (:data:`EXIT_CODES`: 3 for a plan whose
guardrails fail, 1 for a diff that flags something).
``aifactory ...`` runs in-process; ``./dev.sh ...`` runs the real script with a stand-in
``.venv/bin/aifactory`` that records its arguments, which are then run in-process (so the
script's argument handling is what is tested, without a second install). Offline runs are shared
between commands whose inputs are byte-identical (the plan is deterministic), which keeps the
test fast. Commands that cannot run here are skipped only by :data:`NOT_RUN_HERE`, and commands too
slow to run here are only parsed (:data:`PARSED_ONLY`: options, arguments and ``-C`` checked by the
real command line), each with its reason; the test fails on any command that is neither run, parsed
nor listed, on any entry of those lists that no document uses any more, and on any placeholder
:data:`PLACEHOLDERS` does not know.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
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
    "python3 -m venv": "creates a virtual environment and pip-installs into it (minutes, network); ./dev.sh makes "
    "the factory's own .venv",
    ".venv/bin/python -m aifactory.docsgen": "rewrites the generated pages from offline runs of every shipped stack; "
    "tests/delivery/test_docs.py asserts that its output is what is committed",
}
"""Command prefixes that are not run here, and why."""

PARSED_ONLY: dict[str, str] = {
    "aifactory diff": "plans the working tree and a git revision in subprocesses, about a minute per stack; "
    "tests/diff runs it on the shipped repository, so here its command line is parsed",
}
"""Command prefixes whose command line is parsed (every option and argument checked), not run, and why."""

EXIT_CODES: dict[str, set[int]] = {"plan": {0, 3}, "check": {0, 3}, "diff": {0, 1}}
"""Exit codes of a working run besides 0: a plan whose guardrails fail (3), a diff that flags (1)."""

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
    "<base>": "main",
    "<ref>": "main",
    "<commit before the push>": "HEAD~1",
    "<file>": "plans/copy.json",
    "<dir>": "../kit",
    "<email>": "lead@contoso.com",
    "<env>": "prod",  # the shipped sharded environment, so `<env>-p<NNN>` is a real project stack
    "<NNN>": "001",
    "<n>": "2",
    "<object id>": "11111111-0000-4000-8000-0000000000ab",
    "<core persona>": "data-ops",
}
"""Example values for the placeholders of command templates in prose and tables."""

SHELL_LANGUAGES = {"sh", "bash", "shell", "console", "shell-session", "zsh"}
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
_INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_OPTIONAL = re.compile(r"\[([^\[\]]+)\]")
_PLACEHOLDER = re.compile(r"<[A-Za-z][^<>]*>")
_SHELL_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "&"}

runner = CliRunner()


@dataclass(frozen=True)
class Documented:
    """One command as a document shows it."""

    document: str
    line: int
    text: str
    fenced: bool
    block: int = -1

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
    block = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence, shell = opened.group(1), opened.group(2).lower() in SHELL_LANGUAGES
            block += 1
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
                    yield Documented(name, start, text, fenced=True, block=block)
            continue
        for span in _INLINE.findall(line):
            text = span.strip().removeprefix("$ ")
            if text == "aifactory" or text.startswith(("aifactory ", "./dev.sh")):
                yield Documented(name, number, text, fenced=False)


def _skip_reason(text: str) -> str | None:
    return next((why for prefix, why in NOT_RUN_HERE.items() if text.startswith(prefix)), None)


def _normalised(tokens: list[str]) -> list[str]:
    """``.venv/bin/aifactory`` is the same command as ``aifactory``."""
    return ["aifactory", *tokens[1:]] if tokens and tokens[0] == ".venv/bin/aifactory" else tokens


def _variants(command: Documented) -> list[list[str]]:
    """The argument lists a documented command stands for (templates expanded with PLACEHOLDERS)."""
    text = " ".join(shlex.split(command.text, comments=True)) if command.fenced else command.text
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
        # ``text\|markdown\|json`` (a table cell's escaped alternatives): the first alternative
        tokens = [t.split("|")[0] if "|" in t and t != "|" else t for t in shlex.split(filled.replace("\\|", "|"))]
        variants.append(tokens)
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
    """The repository's files as a fresh git repository: ``main``, with one commit before it (``HEAD~1``)."""
    ignored = shutil.ignore_patterns(
        ".git", ".venv", "plans", "__pycache__", ".mypy_cache", ".ruff_cache", ".hypothesis", "*.egg-info", "build"
    )
    shutil.copytree(REPO, target, ignore=ignored, symlinks=True)
    identity = ["-c", "user.name=docs test", "-c", "user.email=docs@example.com", "-c", "commit.gpgsign=false"]
    for args in (
        ["init", "-q"],
        ["symbolic-ref", "HEAD", "refs/heads/main"],
        [*identity, "commit", "-q", "--allow-empty", "-m", "before"],
        ["add", "-A"],
        [*identity, "commit", "-q", "-m", "the factory"],
    ):
        subprocess.run(["git", *args], cwd=target, check=True, capture_output=True)
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


def _run_aifactory(argv: list[str], where: Documented, out: Path | None = None) -> None:
    result = runner.invoke(app, argv, env={"COLUMNS": "100"})
    assert "Traceback" not in result.output, f"{where}\n{result.output}"
    allowed = {0} | EXIT_CODES.get(argv[0] if argv else "", set())
    assert result.exit_code in allowed, f"{where} exited {result.exit_code}:\n{result.output}"
    if out is not None:
        out.write_text(result.stdout, encoding="utf-8")


def _parse(argv: list[str], where: Documented) -> None:
    """Check a command line the way the command would (every option, argument and type), without running it."""
    command: Any = typer.main.get_command(app)
    names = ["aifactory"]
    rest = list(argv)
    while rest and rest[0] in getattr(command, "commands", {}):
        names.append(rest[0])
        command = command.commands[rest.pop(0)]
    try:
        with command.make_context(" ".join(names), rest):
            pass
    except (typer.Exit, typer.TyperException) as exc:
        pytest.fail(f"{where}: the command line does not parse: {exc}")


def _run_dev_sh(tokens: list[str], folder: Path, calls: Path, where: Documented) -> None:
    calls.unlink(missing_ok=True)
    done = subprocess.run(["sh", *tokens], cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{where}: ./dev.sh exited {done.returncode}:\n{done.stderr}"
    assert calls.exists(), f"{where}: ./dev.sh did not run aifactory (did it try to set up .venv again?)"
    for line in calls.read_text().splitlines():
        _run_aifactory(json.loads(line), where)


def _check(command: Documented, cwd: Path, calls: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run (or parse) every form of ``command`` in ``cwd``; the folder the next command of its block runs in."""
    for variant in _variants(command):
        tokens, out = _normalised(variant), None
        if len(tokens) > 2 and tokens[-2] == ">":
            out, tokens = cwd / tokens[-1], tokens[:-2]
        assert not _SHELL_OPERATORS & set(tokens), f"{command}: one command per line (no pipes or &&)"
        if tokens[0] == "cd" and len(tokens) == 2:
            cwd = (cwd / tokens[1]).resolve()
            assert cwd.is_dir(), f"{command}: no such folder"
            monkeypatch.chdir(cwd)
        elif tokens == ["./dev.sh"] and not command.fenced:  # names the script; its tasks are shown elsewhere
            assert os.access(cwd / "dev.sh", os.X_OK), f"{command}: ./dev.sh is not an executable script here"
        elif tokens[0] == "./dev.sh":
            _run_dev_sh(tokens, cwd, calls, command)
        elif tokens[0] == "aifactory" and not command.fenced and _needs_arguments(tokens):
            _run_aifactory([*tokens[1:], "--help"], command)  # names the command; its full form is elsewhere
        elif tokens[0] == "aifactory" and any(" ".join(tokens).startswith(prefix) for prefix in PARSED_ONLY):
            _parse(tokens[1:], command)
        elif tokens[0] == "aifactory":
            _run_aifactory(tokens[1:], command, out)
        else:
            pytest.fail(
                f"{command}: neither an aifactory nor a ./dev.sh command; run it here or add it to NOT_RUN_HERE"
            )
    return cwd


DOCUMENTED = [command for path in _documents() for command in _commands(path)]


def test_the_documents_show_commands_and_every_skip_is_still_needed() -> None:
    assert any(c.text.startswith("aifactory ") for c in DOCUMENTED)
    assert any(c.text.startswith("./dev.sh plan") for c in DOCUMENTED)
    listed = [*NOT_RUN_HERE, *PARSED_ONLY]
    unused = [prefix for prefix in listed if not any(prefix in c.text for c in DOCUMENTED)]
    assert not unused, f"no document uses these NOT_RUN_HERE/PARSED_ONLY entries any more; remove them: {unused}"


@pytest.mark.parametrize("document", [p.relative_to(REPO).as_posix() for p in _documents()])
def test_every_documented_command_works_as_written(
    document: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_repository(tmp_path / "repo")
    calls = _stand_in_venv(folder)
    monkeypatch.setattr(cli_app, "run_stack", shared_run_stack)
    ran, skipped, block, cwd = [], [], None, folder
    for command in (c for c in DOCUMENTED if c.document == document):
        if command.block != block:  # a new code block (or prose) starts in the repository's root again
            block, cwd = command.block, folder
            monkeypatch.chdir(cwd)
        if _skip_reason(command.text):
            skipped.append(command)
            continue
        cwd = _check(command, cwd, calls, monkeypatch)
        ran.append(command)
    assert len(ran) + len(skipped) == sum(1 for c in DOCUMENTED if c.document == document)
