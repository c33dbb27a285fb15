"""The generated part of ``docs/guardrails.md``: the rule catalogue and the shipped stacks' exceptions.

``python -m aifactory.policy.docs`` rewrites that part in place; a test keeps it in step with the
catalogue and the stack files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from aifactory.config.loader import parse_stack_config, read_stack_file, stack_values
from aifactory.policy.catalog import RULES

__all__ = ["BEGIN", "END", "generated_section", "rewrite"]

BEGIN = "<!-- BEGIN GENERATED: python -m aifactory.policy.docs -->"
END = "<!-- END GENERATED -->"


def _short(type_token: str) -> str:
    return type_token.removeprefix("azure-native:")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _catalogue() -> list[str]:
    lines = [
        f"{len(RULES)} rules. Severity `mandatory` fails `aifactory plan` / `check` (exit code 3) and blocks "
        "`pulumi preview --policy-pack guardrails`; `advisory` only warns.",
        "",
        "| rule | severity | resource types | what it requires | source |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        types = ", ".join(f"`{_short(t)}`" for t in rule.types)
        definition = f" (`{rule.source.definition}`)" if rule.source.definition else ""
        effect = f", ALZ effect {rule.source.effect}" if rule.source.effect else ""
        source = f"[{_cell(rule.source.policy)}]({rule.source.url}){definition}{effect}"
        lines.append(f"| `{rule.id}` | {rule.severity} | {types} | {_cell(rule.title)} | {source} |")
    return lines


def _exceptions(project_dir: Path) -> list[str]:
    lines = ["| stack | rule | scope | reason |", "|---|---|---|---|"]
    rows = 0
    for path in sorted(project_dir.glob("Pulumi.*.yaml")):
        stack = path.name[len("Pulumi.") : -len(".yaml")]
        config_map, stack_file = read_stack_file(project_dir, stack)
        config = parse_stack_config(stack_values(config_map), stack_file)
        for exception in config.guardrails.exceptions:
            scope = "; ".join(
                part
                for part in (
                    ", ".join(f"`{_short(t)}`" for t in exception.types),
                    ", ".join(str(p) for p in exception.projects),
                    ", ".join(f"`{n}`" for n in exception.names),
                )
                if part
            )
            lines.append(f"| {stack} | `{exception.rule}` | {scope or 'everything'} | {_cell(exception.reason)} |")
            rows += 1
    if not rows:
        return ["No shipped stack records an exception yet."]
    return lines


def generated_section(project_dir: Path) -> str:
    """The text between :data:`BEGIN` and :data:`END`."""
    lines = [
        BEGIN,
        "",
        "### Rule catalogue",
        "",
        *_catalogue(),
        "",
        "### Exceptions recorded in the shipped stacks",
        "",
        *_exceptions(project_dir),
        "",
        END,
    ]
    return "\n".join(lines)


def rewrite(doc: Path, project_dir: Path) -> bool:
    """Replace the generated section of ``doc``; True when the file changed."""
    text = doc.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    updated = text[:start] + generated_section(project_dir) + text[end:]
    if updated == text:
        return False
    doc.write_text(updated, encoding="utf-8")
    return True


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path()
    changed = rewrite(root / "docs" / "guardrails.md", root)
    sys.stdout.write(("updated" if changed else "unchanged") + " docs/guardrails.md\n")
