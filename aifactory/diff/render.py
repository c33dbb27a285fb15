"""Show a :class:`PlanDiff`: plain text for a terminal, Markdown for a pull-request comment, JSON.

Text and Markdown cap the detail (inputs per resource, resources per workload, flag lines) and
say how much they left out, so a change that touches 300 projects stays readable; the Markdown
comment also stays under GitHub's comment size limit. JSON carries everything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from aifactory.diff.model import COMMON, Flag, InputChange, PlanDiff, ResourceChange, WorkloadDiff
from aifactory.diff.values import ABSENT, shorten

__all__ = ["diff_document", "render_markdown", "render_text"]

MAX_INPUTS = 12
MAX_RESOURCES = 40
MAX_FLAG_LINES = 60
COMMENT_BUDGET = 60_000
"""Characters of Markdown; GitHub refuses comments above 65,536."""

_SIGN = {"added": "+", "removed": "-", "changed": "~", "moved": ">"}
_FILE_SIGN = {
    "added": "A",
    "modified": "M",
    "deleted": "D",
    "renamed": "R",
    "copied": "C",
    "type-changed": "T",
    "untracked": "?",
}


def diff_document(diff: PlanDiff) -> dict[str, Any]:
    """Everything, JSON-ready (``aifactory diff --format json``): tuples become lists."""
    document: dict[str, Any] = _json_ready(
        {
            "stack": diff.stack,
            "environment": diff.environment,
            "base": diff.base,
            "head": diff.head,
            "flagged": diff.flagged,
            "summary": [_summary_row(w) for w in diff.workloads],
            "unchanged": diff.unchanged,
            "changed_files": [asdict(f) for f in diff.changed_files],
            "touched_projects": sorted(diff.touched_projects),
            "flags": [asdict(f) for f in diff.flags],
            "workloads": [
                {"workload": w.workload, "file_changed": w.file_changed, "changes": [asdict(c) for c in w.changes]}
                for w in diff.workloads
            ],
            "notes": list(diff.notes),
        }
    )
    return document


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return value


def render_text(diff: PlanDiff) -> str:
    """The terminal view: header, per-workload counts, flags, then the changes of each workload."""
    lines = [f"aifactory diff {diff.stack}: {diff.head} against {diff.base}", _files_line(diff), *diff.notes, ""]
    if not diff.workloads:
        lines.append(f"No resource changes ({diff.unchanged} resources unchanged).")
        return "\n".join(lines) + "\n"
    rows = [["workload", "project file", "added", "changed", "removed", "flags"]]
    rows += [[str(value) for value in _summary_row(w).values()] for w in diff.workloads]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append("")
    flags = diff.flags
    lines.append(f"{len(flags)} flagged" if flags else "Nothing flagged.")
    lines += [f"  {line}" for line in _capped(_flag_lines(flags, code=str), MAX_FLAG_LINES)]
    for workload in diff.workloads:
        lines += ["", f"{workload.workload}{_file_note(workload)}"]
        for change in _capped_changes(workload):
            if isinstance(change, str):
                lines.append(f"  {change}")
                continue
            lines.append(f"  {_SIGN[change.kind]} {change.name}  {change.type}")
            lines += [f"      {detail}" for detail in _details(change, code=str)]
    lines += ["", f"{diff.unchanged} resources unchanged."]
    return "\n".join(lines) + "\n"


def render_markdown(diff: PlanDiff) -> str:
    """A pull-request comment: summary table, flags (open), then one collapsed section per workload."""
    verdict = (
        f"**{len(diff.flags)} flagged**: a reviewer must look at these before merging."
        if diff.flagged
        else "**Nothing flagged.**"
    )
    parts = [
        f"### aifactory diff `{diff.stack}`\n",
        f"**{_md(diff.head)}** against {_code(diff.base)}. {verdict}\n",
        _files_line(diff, code=_code) + "\n",
        *(f"> {note}\n" for note in diff.notes),
    ]
    if not diff.workloads:
        parts.append(f"No resource changes ({diff.unchanged} resources unchanged).\n")
        return "\n".join(parts)
    parts.append(_summary_table(diff))
    if diff.flagged:
        flag_lines = "\n".join(f"- {line}" for line in _capped(_flag_lines(diff.flags, code=_code), MAX_FLAG_LINES))
        parts.append(
            f"<details open>\n<summary><b>Flags ({len(diff.flags)})</b></summary>\n\n{flag_lines}\n\n</details>\n"
        )
    size = sum(len(p) for p in parts)
    ordered = sorted(diff.workloads, key=lambda w: (not w.flags, w.workload != COMMON, w.workload))
    for index, workload in enumerate(ordered):
        section = _workload_section(workload)
        if size + len(section) > COMMENT_BUDGET:
            rest = len(ordered) - index
            parts.append(
                f"_Details of {rest} more workload{'s' if rest != 1 else ''} left out to keep this comment under "
                f"GitHub's size limit: run `aifactory diff {diff.stack} --against <ref> --format json` for all._\n"
            )
            break
        parts.append(section)
        size += len(section)
    parts.append(f"{diff.unchanged} resources unchanged.\n")
    return "\n".join(parts)


def _summary_row(workload: WorkloadDiff) -> dict[str, Any]:
    return {
        "workload": workload.workload,
        "project_file": "-"
        if workload.file_changed is None
        else ("changed" if workload.file_changed else "not changed"),
        "added": workload.count("added"),
        "changed": workload.count("changed", "moved"),
        "removed": workload.count("removed"),
        "flags": len(workload.flags),
    }


def _summary_table(diff: PlanDiff) -> str:
    lines = ["| workload | project file | added | changed | removed | flags |", "|---|---|--:|--:|--:|--:|"]
    for workload in diff.workloads:
        row = _summary_row(workload)
        flags = f"**{row['flags']}**" if row["flags"] else "0"
        lines.append(
            f"| {row['workload']} | {row['project_file']} | {row['added']} | {row['changed']} | {row['removed']} "
            f"| {flags} |"
        )
    return "\n".join(lines) + "\n"


def _workload_section(workload: WorkloadDiff) -> str:
    counts = Counter(change.kind for change in workload.changes)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    flagged = f", **{len(workload.flags)} flagged**" if workload.flags else ""
    body: list[str] = []
    for change in _capped_changes(workload):
        if isinstance(change, str):
            body.append(f"- _{change}_")
            continue
        marker = " :warning:" if change.flags else ""
        body.append(f"- `{_SIGN[change.kind]}` {_code(change.name)} ({_code(change.type)}){marker}")
        body += [f"  - {detail}" for detail in _details(change, code=_code)]
    return (
        f"<details>\n<summary>{workload.workload}{_file_note(workload)}: {summary}{flagged}</summary>\n\n"
        + "\n".join(body)
        + "\n\n</details>\n"
    )


def _flag_lines(flags: Iterable[Flag], *, code: Any) -> Iterator[str]:
    """Per workload, untouched-project flags fold into one line; other flags get one line each."""
    untouched: Counter[str] = Counter()
    others: list[Flag] = []
    for flag in flags:
        if flag.kind == "untouched-project":
            untouched[flag.workload] += 1
        else:
            others.append(flag)
    for workload, count in sorted(untouched.items()):
        plural = "s change" if count != 1 else " changes"
        yield f"{workload}: {count} resource{plural}, but the change does not touch its project file"
    for flag in others:
        yield f"{flag.workload}: {code(flag.name)}: {flag.message}"


def _details(change: ResourceChange, *, code: Any) -> Iterator[str]:
    if change.kind == "moved":
        yield f"URN was {code(change.old_urn or '')}"
    if change.protect is not None:
        yield f"protect: {str(change.protect[0]).lower()} -> {str(change.protect[1]).lower()}"
    if change.parent is not None:
        yield f"parent: {code(change.parent[0])} -> {code(change.parent[1])}"
    if change.dependencies_added:
        yield f"depends on, added: {', '.join(code(d) for d in change.dependencies_added)}"
    if change.dependencies_removed:
        yield f"depends on, removed: {', '.join(code(d) for d in change.dependencies_removed)}"
    yield from _capped((_input_line(i, code=code) for i in change.inputs), MAX_INPUTS, noun="input changes")
    for flag in change.flags:
        if flag.kind != "untouched-project":  # the workload's heading says its file is not changed
            yield f"flagged: {flag.message}"


def _input_line(change: InputChange, *, code: Any) -> str:
    old = _short(ABSENT if change.kind == "added" else change.old)
    new = _short(ABSENT if change.kind == "removed" else change.new)
    note = ""
    if change.create_only is not None:
        note = f"  [{change.create_only.effect}: {change.create_only.source}]"
    return f"{code(change.path)}: {code(old)} -> {code(new)}{note}"


def _short(value: Any) -> str:
    """Scalars cut at 72 characters, whole items (an NSG rule) at 180."""
    return shorten(value, 180 if isinstance(value, dict | list) else 72)


def _capped_changes(workload: WorkloadDiff) -> Iterator[ResourceChange | str]:
    flagged_first = sorted(workload.changes, key=lambda c: not c.flags)
    yield from flagged_first[:MAX_RESOURCES]
    if len(flagged_first) > MAX_RESOURCES:
        left = len(flagged_first) - MAX_RESOURCES
        yield f"... {left} more resource{'s' if left != 1 else ''} (see --format json)"


def _capped(lines: Iterable[str], limit: int, noun: str = "lines") -> Iterator[str]:
    count = 0
    for line in lines:
        count += 1
        if count <= limit:
            yield line
    if count > limit:
        left = count - limit
        yield f"... {left} more {noun if left != 1 else noun.rstrip('s')} (see --format json)"


def _files_line(diff: PlanDiff, code: Any = str) -> str:
    if not diff.changed_files:
        return "changed files: none"
    shown = [
        f"{_FILE_SIGN[f.status]} {code(f.path)}" + (f" (from {code(f.old_path)})" if f.old_path else "")
        for f in diff.changed_files[:30]
    ]
    more = f", ... {len(diff.changed_files) - 30} more" if len(diff.changed_files) > 30 else ""
    return f"changed files: {', '.join(shown)}{more}"


def _file_note(workload: WorkloadDiff) -> str:
    if workload.file_changed is None:
        return " (common part)"
    return "" if workload.file_changed else " (project file not changed)"


def _code(text: str) -> str:
    """Inline code that survives backticks and table pipes in the value."""
    fence = "``" if "`" in text else "`"
    padded = f" {text} " if fence == "``" else text
    return f"{fence}{padded.replace('|', '&#124;')}{fence}"


def _md(text: str) -> str:
    return text.replace("|", "&#124;").replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_")
