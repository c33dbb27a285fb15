"""Terminal view of guardrail results: the summary ``plan`` and ``check`` print."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from aifactory.cli.console import table
from aifactory.cli.exits import ExitCode
from aifactory.policy.catalog import RULES_BY_ID
from aifactory.policy.engine import GuardrailReport

__all__ = ["EXIT_GUARDRAIL_FAILED", "render_guardrails"]

EXIT_GUARDRAIL_FAILED = int(ExitCode.GUARDRAIL_FAILED)
"""Exit code of ``plan`` and ``check`` when a mandatory rule fails and no exception covers it."""


def render_guardrails(report: GuardrailReport, console: Console, *, every_violation: bool = False) -> None:
    """Rules evaluated, resources checked, violations by rule and severity, exceptions applied."""
    counts = {rule: count for rule, count in report.counts().items() if count["open"] or count["excepted"]}
    blocking = sum(1 for v in report.violations if v.blocking)
    advisory = sum(1 for v in report.violations if v.severity == "advisory" and v.exception is None)
    excepted = sum(1 for v in report.violations if v.exception is not None)
    verdict = "[bold red]FAILED[/]" if report.failed else "[bold green]passed[/]"
    console.print(
        f"guardrails {verdict}: {len(report.rules)} rules evaluated over {report.resources} resources; "
        f"{blocking} mandatory violations, {advisory} advisory, {excepted} excepted"
    )
    if counts:
        by_rule = table("Guardrail violations by rule", "rule", "severity", "open", "excepted", "title")
        for rule_id, count in counts.items():
            rule = RULES_BY_ID[rule_id]
            by_rule.add_row(rule_id, rule.severity, str(count["open"]), str(count["excepted"]), rule.title)
        console.print(by_rule)
    uses = report.exception_uses()
    if uses:
        exceptions = table("Guardrail exceptions (aifactory:guardrails)", "rule", "scope", "excepted", "reason")
        for exception, used in uses:
            scope = "; ".join(
                part
                for part in (
                    ", ".join(exception.types),
                    ", ".join(exception.projects),
                    ", ".join(exception.names),
                )
                if part
            )
            exceptions.add_row(exception.rule, scope or "everything", str(used), escape(exception.reason))
        console.print(exceptions)
    if every_violation:
        for violation in report.violations:
            state = f"excepted: {violation.exception.reason}" if violation.exception else violation.severity
            console.print(
                f"[bold]{violation.rule}[/] {escape(violation.name)} ({violation.type}, {violation.workload}) "
                f"[{state}]\n    {escape(violation.message)}"
            )
    else:
        for violation in report.violations:  # warnings are few and time-bound (model versions ending soon): say them
            if violation.severity == "advisory" and violation.exception is None:
                where = f"{violation.rule} {escape(violation.name)}"
                console.print(f"[yellow]warning[/] {where}: {escape(violation.message)}")
        if report.violations:
            console.print(
                "every violation with its fix: aifactory check <stack> (or the plan file's guardrails section)"
            )
