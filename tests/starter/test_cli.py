"""``aifactory project template``: renders a kit, and bad input exits 1 with the problem and its fix."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from aifactory.cli.app import app

runner = CliRunner()


def test_template_command_renders_a_kit(factory: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    result = runner.invoke(
        app,
        ["project", "template", "support-copilot", "--out", str(out), "--runner-label", "lan-3", "-C", str(factory)],
    )
    assert result.exit_code == 0, result.output
    assert "created the genai starter kit of support-copilot (p003; dev, stage, prod)" in " ".join(
        result.output.split()
    )
    assert 'runs-on: [self-hosted, "lan-3"]' in (out / ".github" / "workflows" / "genaiops.yml").read_text()


def test_template_command_reports_an_unknown_project(factory: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["project", "template", "42", "--out", str(tmp_path / "kit"), "-C", str(factory)])
    assert result.exit_code == 1
    assert "is not a project id or name of any stack" in result.output
    assert not (tmp_path / "kit").exists()


def test_template_command_needs_an_output_folder(factory: Path) -> None:
    result = runner.invoke(app, ["project", "template", "1", "-C", str(factory)])
    assert result.exit_code == 2
