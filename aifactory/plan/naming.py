"""Deterministic Azure names for every resource kind (pure; no Pulumi).

Shape (CAF): ``<abbr>-<prefix>-<workload>[-<label>][-<qualifier>]-<env>-<region>[-<suffix>]``, e.g.
``rg-acme-p007-fraud-detection-dev-sdc`` or ``kv-acme-p007-fr-dev-sdc-3k9x``. Kinds that allow only
letters and digits drop the hyphens (``stacmep007fraudedevsdc3k9``).

Rules that keep names valid and stable:

- every part comes from stable inputs: the factory prefix, the environment, the region, the
  project id and slug, and a fixed qualifier; never list positions or other projects;
- globally unique kinds end in a 4-character suffix hashed from the naming seed, environment,
  workload, kind and qualifier, so two factories (different seeds) never collide;
- when a name is too long it gives way step by step: the project slug shrinks (to 3 characters),
  the region code goes, the slug goes, the environment becomes its code (stage -> stg), ``common``
  becomes ``cmn``, and finally the hyphens go. The prefix, project id, qualifier and suffix always
  stay, so names stay unique.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass

from aifactory.catalog.naming_rules import NAMING_RULES, NamingRule, ResourceKind
from aifactory.config.types import EnvironmentName

__all__ = [
    "DEPLOYMENT_NAME_MAX",
    "ENV_CODES",
    "Namer",
    "NamingError",
    "Workload",
    "child_name",
    "stable_suffix",
    "subnet_name",
    "suffixed_name",
]

ENV_CODES: dict[str, str] = {"dev": "dev", "stage": "stg", "prod": "prd"}
_ALPHABET = string.digits + string.ascii_lowercase
_SUFFIX_LENGTH = 4
_MIN_LABEL = 3


class NamingError(ValueError):
    """A name cannot be made to fit its kind's rules (a factory prefix or qualifier far too long)."""


@dataclass(frozen=True)
class Workload:
    """Whose resource it is: the environment's common part, or one project."""

    key: str
    label: str = ""

    @classmethod
    def common(cls) -> Workload:
        return cls("common")

    @classmethod
    def project(cls, project_id: int, name: str) -> Workload:
        return cls(f"p{project_id:03d}", name)


def child_name(kind: ResourceKind, parent_name: str, qualifier: str = "") -> str:
    """Name of a resource that belongs to another one (private endpoints, NICs, links, locks).

    ``<abbr>-<parent>[-<qualifier>]``; when too long the parent part is cut and a hash of the full
    name keeps it unique.
    """
    rule = NAMING_RULES[kind]
    tail = f"-{_clean(qualifier)}" if qualifier else ""
    full = f"{rule.abbreviation}-{parent_name}{tail}"
    if len(full) <= rule.max_length:
        return full
    digest = stable_suffix(full)
    keep = rule.max_length - len(rule.abbreviation) - len(tail) - len(digest) - 2
    return f"{rule.abbreviation}-{parent_name[:keep].rstrip('-')}{tail}-{digest}"


DEPLOYMENT_NAME_MAX = 64
"""``Microsoft.Resources/deployments`` names: at most 64 characters (Azure resource name rules)."""


def suffixed_name(parent_name: str, suffix: str, max_length: int) -> str:
    """``<parent>-<suffix>``, the name of a helper resource that belongs to another (an ARM deployment).

    Kept as is when it fits, so existing names never change; when too long, the parent part is cut
    and a hash of the full name keeps it unique and deterministic.
    """
    full = f"{parent_name}-{suffix}"
    if len(full) <= max_length:
        return full
    digest = stable_suffix(full)
    keep = max_length - len(suffix) - len(digest) - 2
    return f"{parent_name[:keep].rstrip('-')}-{digest}-{suffix}"


def subnet_name(workload_key: str, subnet_key: str) -> str:
    """Subnet names are scoped to their VNet, so they stay short: ``snet-p007-private-endpoints``."""
    return f"snet-{workload_key}-{subnet_key.replace('_', '-')}"


def stable_suffix(*parts: str, length: int = _SUFFIX_LENGTH) -> str:
    """A short base-36 digest of ``parts``: same inputs, same suffix, on every machine."""
    digest = int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:8], "big")
    chars = []
    for _ in range(length):
        digest, index = divmod(digest, 36)
        chars.append(_ALPHABET[index])
    return "".join(chars)


@dataclass(frozen=True)
class Namer:
    """Names for one environment of one factory."""

    prefix: str
    environment: EnvironmentName
    region_code: str
    seed: str

    def name(self, kind: ResourceKind, workload: Workload, qualifier: str = "") -> str:
        """The Azure name of a ``kind`` resource of ``workload``; ``qualifier`` tells siblings apart."""
        rule = NAMING_RULES[kind]
        compact = rule.charset in ("alnum", "lower_alnum")
        suffix = stable_suffix(self.seed, self.environment, workload.key, kind, qualifier) if rule.global_scope else ""
        shape = _Shape(
            label=_clean(workload.label, compact),
            region=self.region_code,
            environment=ENV_CODES[self.environment] if compact else self.environment,
            workload=workload.key,
            compact=compact,
        )
        qualifier = _clean(qualifier, compact)
        while True:
            parts = [rule.abbreviation, self.prefix, shape.workload, shape.label, qualifier, shape.environment]
            candidate = _render([*parts, shape.region, suffix], rule, shape.compact)
            if len(candidate) <= rule.max_length:
                return candidate
            if not shape.degrade(len(candidate) - rule.max_length):
                msg = f"cannot fit a {kind} name for {workload.key} {qualifier!r} in {rule.max_length} characters"
                raise NamingError(msg)

    def common(self, kind: ResourceKind, qualifier: str = "") -> str:
        """Name of a common (per-environment) resource."""
        return self.name(kind, Workload.common(), qualifier)

    def project(self, kind: ResourceKind, project_id: int, project_name: str, qualifier: str = "") -> str:
        """Name of a project's resource."""
        return self.name(kind, Workload.project(project_id, project_name), qualifier)


@dataclass
class _Shape:
    """The parts of a name that may give way, in the order they give way."""

    label: str
    region: str
    environment: str
    workload: str
    compact: bool

    def degrade(self, excess: int) -> bool:
        """Shorten by one step; False when nothing is left to give."""
        if len(self.label) > _MIN_LABEL:
            self.label = self.label[: max(_MIN_LABEL, len(self.label) - excess)].rstrip("-")
        elif self.region:
            self.region = ""
        elif self.label:
            self.label = ""
        elif self.environment in ENV_CODES and ENV_CODES[self.environment] != self.environment:
            self.environment = ENV_CODES[self.environment]
        elif self.workload == "common":
            self.workload = "cmn"
        elif not self.compact:
            self.compact = True
        else:
            return False
        return True


def _clean(text: str, compact: bool = False) -> str:
    cleaned = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    return cleaned.replace("-", "") if compact else cleaned


def _render(parts: list[str], rule: NamingRule, compact: bool) -> str:
    present = [p for p in parts if p]
    if compact:
        return "".join(present).replace("-", "").lower()
    joined = re.sub(r"-{2,}", "-", "-".join(present))
    return joined.lower() if rule.charset == "lower_hyphen" else joined
