"""Reading YAML as hostile input: bounded work, one meaning per value, located problems, never an exception.

Project files arrive by pull request from many teams and stack files are edited by hand, so the
reader assumes nothing about them:

- **Bounded.** A file is at most :data:`MAX_FILE_BYTES`; a list or mapping holds at most
  :data:`MAX_ITEMS` entries; libyaml caps nesting. Aliases (``*name``) are refused where
  :func:`read_yaml` is told so (project files); elsewhere their *expanded* size counts against
  :data:`MAX_EXPANDED_VALUES`, so a 700-byte "billion laughs" file stops at once instead of
  growing into billions of values downstream.
- **One meaning.** Values follow the YAML 1.2 core schema, which editors (yaml-language-server)
  and Pulumi's own reader use. Plain scalars that YAML 1.1 tools (PyYAML, many CI tools) read
  differently are refused with the spelling to use instead: ``yes``/``no``/``on``/``off``
  (booleans in 1.1, text in 1.2), ``010`` (octal 8 in 1.1), ``1:30`` (base-60 90 in 1.1),
  ``1_000`` and ``0b1``. Merge keys (``<<``, YAML 1.1 only) and application tags
  (``!!python/object``, ``!!set``, ...) are refused; ``!!str`` is kept, it only forces text.
  Mapping keys are always text, as in JSON and in the config the Pulumi engine passes.
- **Strict.** A key given twice, a list or mapping used as a key, a second document, text that
  is not UTF-8 (UTF-16 included) and anything that is not a regular file (a symbolic link, a
  folder, a named pipe) are problems that name the file, where, what and the fix.

The parse is libyaml's event stream (C, iterative) turned into plain ``dict``/``list``/scalars
by one loop with an explicit stack, so no input can exhaust the Python stack either.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aifactory.errors import ConfigProblem, shown

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPANDED_VALUES",
    "MAX_FILE_BYTES",
    "MAX_ITEMS",
    "decode_utf8",
    "parse_yaml",
    "read_text",
    "read_yaml",
]

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest file read (2 MiB): a 10,000-member project file is about 0.6 MiB; anything larger is a mistake."""

MAX_ITEMS = 10_000
"""Most entries of one list or mapping: a 10,000-member project is fine; teams that large use groups."""

MAX_EXPANDED_VALUES = 200_000
"""Most values a document may hold once its aliases are expanded (files that allow aliases)."""

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings; real files nest less than ten levels."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: C speed, iterative
_STR_TAG = "tag:yaml.org,2002:str"
_CONTAINER_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_QUOTED_OR_BLOCK = {"'", '"', "|", ">"}

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_OCTAL_12 = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_MAX_NUMBER_CHARS = 40

# Plain scalars YAML 1.1 tools read differently from YAML 1.2: (pattern, what 1.1 makes of it, fix).
_YAML11_SURPRISES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$"),
        "is a boolean to YAML 1.1 tools and text to YAML 1.2 tools",
        "write true or false for a switch, or quote it ('{0}') for text",
    ),
    (
        re.compile(r"^[-+]?0[0-9_]+$"),
        "has a leading zero, which YAML 1.1 tools read as an octal number (010 is 8)",
        "write the number without leading zeros, or quote it ('{0}') for text",
    ),
    (
        re.compile(r"^[-+]?0b[01_]+$"),
        "is a binary number to YAML 1.1 tools and text to YAML 1.2 tools",
        "write the number in decimal, or quote it ('{0}') for text",
    ),
    (
        re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"),
        "is a base-60 number to YAML 1.1 tools (1:30 is 90) and text to YAML 1.2 tools",
        "quote it ('{0}')",
    ),
    (
        re.compile(r"^[-+]?(?=[0-9._]*_)[0-9][0-9_]*(?:\.[0-9_]*)?$"),
        "is a number with '_' separators to YAML 1.1 tools and text to YAML 1.2 tools",
        "write the number without '_', or quote it ('{0}') for text",
    ),
)


class _Stop(Exception):  # noqa: N818 - internal control flow, never escapes this module
    """The first structural problem of a document: parsing stops there."""

    def __init__(self, problem: ConfigProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_text(path: Path, display: str) -> tuple[str | None, list[ConfigProblem]]:
    """The text of a regular file of at most :data:`MAX_FILE_BYTES` bytes, decoded as UTF-8.

    Symbolic links are refused without being followed: their target may lie outside the
    repository, and what a file holds ends up in problem reports and CI logs.
    """
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError as exc:
        return None, [_os_problem(display, path, exc)]
    if stat.S_ISLNK(info.st_mode):
        return None, [
            ConfigProblem(
                display,
                "",
                display,
                "is a symbolic link; aifactory never follows links (the target could be outside the repository "
                "and its content would appear in logs)",
                "commit the file itself in place of the link",
            )
        ]
    if stat.S_ISDIR(info.st_mode):
        return None, [ConfigProblem(display, "", display, "is a folder, not a file", "remove or rename the folder")]
    if not stat.S_ISREG(info.st_mode):
        return None, [
            ConfigProblem(display, "", display, "is not a regular file (a device, pipe or socket)", "commit a file")
        ]
    if info.st_size > MAX_FILE_BYTES:
        return None, [_too_large(display, info.st_size)]
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [_os_problem(display, path, exc)]
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_large(display, len(data))]
    return decode_utf8(data, display)


def decode_utf8(data: bytes, display: str) -> tuple[str | None, list[ConfigProblem]]:
    """UTF-8 text (a UTF-8 byte order mark is dropped); any other encoding is a located problem."""
    for bom, name in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if data.startswith(bom):
            return None, [_encoding_problem(display, f"is {name} text", "the start of the file")]
    data = data.removeprefix(codecs.BOM_UTF8)
    if data[:64].count(0) * 4 >= min(len(data), 64) > 0:  # NUL between characters: UTF-16 without its mark
        return None, [_encoding_problem(display, "looks like UTF-16 text (NUL bytes between characters)", "the start")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        what = "looks like UTF-16 text" if b"\x00" in data[:64] else "is not UTF-8 text"
        byte = f"byte 0x{data[exc.start]:02x} at line {line}, column {column}"
        return None, [_encoding_problem(display, what, byte)]


def read_yaml(path: Path, display: str, *, aliases: bool = True) -> tuple[Any, list[ConfigProblem]]:
    """Parse one YAML file; its data, or ``None`` and the problems that stopped it. Never raises.

    ``aliases=False`` refuses anchors' aliases (``*name``) outright (project files); otherwise
    their expanded size is bounded.
    """
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    return parse_yaml(text, display, aliases=aliases)


def parse_yaml(text: str, display: str, *, aliases: bool = True) -> tuple[Any, list[ConfigProblem]]:
    """Parse YAML text (see the module docstring for the rules); never raises."""
    if len(text) > MAX_FILE_BYTES:
        return None, [_too_large(display, len(text.encode("utf-8", "surrogatepass")))]
    builder = _Builder(display, aliases)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except _Stop as stop:
        return None, [stop.problem]
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(display, exc)]
    except (ValueError, TypeError, RecursionError, MemoryError) as exc:  # libyaml's own limits
        return None, [
            ConfigProblem(display, "", type(exc).__name__, f"cannot be parsed: {shown(str(exc))}", _SYNTAX_FIX)
        ]
    return builder.result, []


@dataclass
class _Frame:
    """An open list or mapping, with the key waiting for its value (mappings)."""

    container: dict[str, Any] | list[Any]
    anchor: str | None
    start_values: int
    path: str
    key: str | None = None
    lines: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Plain Python data from libyaml events, enforcing the module's rules as it goes."""

    def __init__(self, display: str, aliases: bool) -> None:
        self.display = display
        self.aliases = aliases
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.values = 0
        self.aliased = False
        self.documents = 0
        self.result: Any = None

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self._stop(event, "", "---", "holds more than one YAML document", "keep one document per file")
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._open(event)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self._close()
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)

    # -- events -----------------------------------------------------------------------------

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            self._key(frame, event)
            return
        value = self._resolve(event)
        self._add(event, value, 1)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)

    def _open(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            raise self._stop(
                event,
                frame.path,
                "a mapping or list",
                "uses a mapping or list as a key (YAML complex key '? ...')",
                "use plain text keys (field names)",
            )
        if event.tag is not None and event.tag not in _CONTAINER_TAGS and event.tag != "!":
            raise self._tag_problem(event, self._child_path())
        if len(self.stack) >= MAX_DEPTH:
            raise self._stop(
                event, self._child_path(), f"{MAX_DEPTH + 1} levels", f"nests deeper than {MAX_DEPTH} levels", _FLATTEN
            )
        container: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        self._count(event, 1)
        self.stack.append(_Frame(container, event.anchor, self.values, self._child_path()))

    def _close(self) -> None:
        frame = self.stack.pop()
        size = self.values - frame.start_values + 1
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, size)
        self._attach(frame.container)

    def _alias(self, event: yaml.AliasEvent) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            raise self._stop(event, frame.path, f"*{event.anchor}", "uses an alias as a key", "write the key out")
        path = self._child_path()
        if not self.aliases:
            raise self._stop(
                event,
                path,
                f"*{event.anchor}",
                "uses a YAML alias; project files spell every value out, so reviewers see what they approve",
                "replace the alias with the value it stands for",
            )
        if event.anchor not in self.anchors:
            raise self._stop(
                event,
                path,
                f"*{event.anchor}",
                "uses an alias whose anchor is not defined before it (or is still open)",
                f"define &{event.anchor} earlier in the file, or write the value out",
            )
        value, size = self.anchors[event.anchor]
        self.aliased = True
        self._add(event, value, size)

    # -- building ---------------------------------------------------------------------------

    def _key(self, frame: _Frame, event: yaml.ScalarEvent) -> None:
        key = event.value
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if event.tag is not None and event.tag not in (_STR_TAG, "!"):
            raise self._tag_problem(event, frame.path)
        if key == "<<" and event.style == "":
            raise self._stop(
                event,
                frame.path,
                "<<",
                "uses a YAML merge key (<<), which YAML 1.2 does not have and tools disagree on",
                "write the keys out",
            )
        if key in frame.lines:
            raise self._stop(
                event,
                _join(frame.path, key),
                key,
                f"appears twice (lines {frame.lines[key]} and {line}); YAML would silently keep the last one",
                "keep one of the two",
            )
        if len(frame.lines) >= MAX_ITEMS:
            raise self._stop(
                event, frame.path, f"{MAX_ITEMS + 1} keys", f"has more than {MAX_ITEMS:,} keys", "split the data"
            )
        frame.lines[key] = line
        frame.key = key

    def _add(self, event: yaml.Event, value: Any, size: int) -> None:
        self._count(event, size)
        self._attach(value)

    def _attach(self, value: Any) -> None:
        if not self.stack:
            self.result = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, dict):
            frame.container[frame.key or ""] = value
            frame.key = None
        else:
            frame.container.append(value)

    def _count(self, event: yaml.Event, size: int) -> None:
        self.values += size
        if self.values > MAX_EXPANDED_VALUES:
            what = "expands to" if self.aliased else "holds"
            why = " (aliases count every time they are used)" if self.aliased else ""
            raise self._stop(
                event,
                self._child_path(),
                f"more than {MAX_EXPANDED_VALUES:,} values",
                f"{what} more than {MAX_EXPANDED_VALUES:,} values{why}",
                "spell the values out instead of repeating aliases, or split the file"
                if self.aliased
                else "split the data; no real configuration holds that many values",
            )
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, list) and len(frame.container) >= MAX_ITEMS:
            raise self._stop(
                event,
                frame.path,
                f"{MAX_ITEMS + 1} entries",
                f"has more than {MAX_ITEMS:,} entries",
                "use Entra groups for large teams, or split the data",
            )

    def _child_path(self) -> str:
        if not self.stack:
            return ""
        frame = self.stack[-1]
        if isinstance(frame.container, dict):
            return _join(frame.path, frame.key or "")
        return f"{frame.path}[{len(frame.container)}]"

    def _resolve(self, event: yaml.ScalarEvent) -> Any:
        """The value of a scalar under the YAML 1.2 core schema; YAML 1.1 look-alikes are refused."""
        text = event.value
        if event.tag is not None:
            if event.tag in (_STR_TAG, "!"):
                return text
            raise self._tag_problem(event, self._child_path())
        if event.style in _QUOTED_OR_BLOCK:
            return text
        return self._plain(event, text)

    def _plain(self, event: yaml.ScalarEvent, text: str) -> Any:
        if _NULL.match(text):
            return None
        if text in _BOOL:
            return _BOOL[text]
        for pattern, what, fix in _YAML11_SURPRISES:
            if pattern.match(text):
                raise self._stop(event, self._child_path(), text, what, fix.format(text))
        number = _number(text)
        if number is not None:
            return number
        if _DECIMAL.match(text) or _FLOAT.match(text):
            raise self._stop(
                event, self._child_path(), shown(text), "is a number too long to be meant", "quote it if it is text"
            )
        return text

    # -- problems ---------------------------------------------------------------------------

    def _stop(self, event: yaml.Event, path: str, value: object, message: str, fix: str) -> _Stop:
        mark = event.start_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        return _Stop(ConfigProblem(self.display, path, value, message + where, fix))

    def _tag_problem(self, event: yaml.Event, path: str) -> _Stop:
        tag = str(getattr(event, "tag", "")).replace("tag:yaml.org,2002:", "!!")
        return self._stop(
            event,
            path,
            tag,
            "uses a YAML tag; aifactory files hold plain text, numbers, true/false, lists and mappings",
            "remove the tag (quote the value if it must be text)",
        )


def _number(text: str) -> int | float | None:
    """A YAML 1.2 core-schema number, or ``None``; numbers longer than any real one are not numbers."""
    if len(text) > _MAX_NUMBER_CHARS:
        return None
    if _DECIMAL.match(text):
        return int(text)
    if _OCTAL_12.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    if _FLOAT.match(text):
        return float(text)
    return None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_FLATTEN = "flatten the data; no aifactory setting nests that deep"
_SYNTAX_FIX = "fix the YAML syntax at that position (indentation, a missing colon or quote)"


def _syntax_problem(display: str, exc: yaml.YAMLError) -> ConfigProblem:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        where = f"line {mark.line + 1}, column {mark.column + 1}"
    elif isinstance(exc, yaml.reader.ReaderError):
        where = f"character {exc.position + 1}"
    else:
        where = "unknown position"
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc).splitlines()[0]
    return ConfigProblem(display, "", where, f"is not valid YAML: {shown(str(problem), 120)}", _SYNTAX_FIX)


def _too_large(display: str, size: int) -> ConfigProblem:
    return ConfigProblem(
        display,
        "",
        f"{size:,} bytes",
        f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, far more than any real configuration",
        "check that this is the file you meant; split large teams into Entra groups",
    )


def _encoding_problem(display: str, what: str, where: str) -> ConfigProblem:
    return ConfigProblem(
        display,
        "",
        where,
        f"{what}; aifactory reads UTF-8 only",
        "save the file as UTF-8 (your editor's encoding menu)",
    )


def _os_problem(display: str, path: Path, exc: OSError) -> ConfigProblem:
    reason = exc.strerror or type(exc).__name__
    return ConfigProblem(display, "", str(path), f"cannot be read: {reason}", "check the path and its permissions")
