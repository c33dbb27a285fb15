"""The Foundry model versions projects may deploy, with their lifecycle: one table, easy to update.

Azure refuses a new deployment of a version that no longer takes new customers
(``ServiceModelDeprecating``) and fails every call to a retired one. So a project file that asks for
such a version is an input error (with the replacement as the fix), and a version whose new
deployments end or that retires within :data:`WARNING_DAYS` is a warning in the plan
(guardrail ``ARM-MODEL-LIFECYCLE``).

**As of 2026-09-02**, from Microsoft Learn:

- ``schedule``: "Model retirement schedule - Microsoft Foundry"
  (learn.microsoft.com/azure/foundry/openai/concepts/model-retirement-schedule, page dated 2026-09-02):
  each version's lifecycle stage, retirement date and replacement;
- ``deprecation``: the "Deprecation Date (No New Customers)" column of the Azure OpenAI retirement
  table (MicrosoftDocs/azure-ai-docs ``articles/foundry/openai/includes/retirement/models.md``, 2026
  versions), where Microsoft states it;
- ``policy``: otherwise Microsoft's lifecycle policy for generally available versions ("Azure OpenAI in
  Microsoft Foundry model deprecations and retirements", *Model availability*): new customers lose
  access after 12 months, existing customers keep it 6 months longer - so new deployments end six
  months before the retirement date the schedule gives;
- ``regions``: the deployment types each version is offered in ("Model region availability by Azure
  region (Europe)", ``articles/foundry/openai/includes/model-matrix/region-europe.md``, 2026-04-30):
  GlobalStandard, DataZoneStandard, Standard (regional), GlobalProvisionedManaged and
  ProvisionedManaged (here any region of the matrix, not only the stack's).

To update: re-read the schedule, change the rows, move :data:`AS_OF`. Nothing else refers to dates.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = [
    "AS_OF",
    "MODELS",
    "WARNING_DAYS",
    "DeploymentSku",
    "Lifecycle",
    "ModelKind",
    "ModelVersion",
    "deployable",
    "frozen_today",
    "model_version",
    "successor",
    "today",
]

AS_OF = datetime.date(2026, 9, 2)
"""The date of the newest Microsoft schedule the table was read from."""

WARNING_DAYS = 90
"""A version whose new deployments end or that retires this soon is a warning in the plan."""

Lifecycle = Literal["preview", "ga", "legacy", "deprecated", "retired"]
"""Microsoft's lifecycle stages ("Microsoft Foundry Models lifecycle and support policy")."""
ModelKind = Literal["chat", "embeddings"]
DeploymentSku = Literal[
    "GlobalStandard", "DataZoneStandard", "Standard", "GlobalProvisionedManaged", "ProvisionedManaged"
]

_STANDARD: tuple[DeploymentSku, ...] = ("GlobalStandard", "DataZoneStandard", "Standard")
_ALL: tuple[DeploymentSku, ...] = (*_STANDARD, "GlobalProvisionedManaged", "ProvisionedManaged")


@dataclass(frozen=True)
class ModelVersion:
    """One model version: what it is, where it deploys, when it stops taking new deployments and retires.

    ``new_deployments_until``: the first day Azure refuses new deployments (None: not announced);
    ``replacement``: Microsoft's suggested replacement (model name) when it names one.
    """

    model: str
    version: str
    kind: ModelKind
    lifecycle: Lifecycle
    skus: tuple[DeploymentSku, ...]
    retires: datetime.date
    new_deployments_until: datetime.date | None
    replacement: str | None
    source: str
    format: str = "OpenAI"

    @property
    def label(self) -> str:
        return f"{self.model} {self.version}"

    def refused_on(self, day: datetime.date) -> str | None:
        """Why Azure refuses a new deployment of this version on ``day``; None when it accepts one."""
        if self.lifecycle == "retired" or day >= self.retires:
            return f"retired on {self.retires:%Y-%m-%d}"
        if self.lifecycle == "deprecated":
            return "deprecated: Azure no longer accepts new deployments"
        if self.new_deployments_until is not None and day >= self.new_deployments_until:
            return f"takes no new deployments since {self.new_deployments_until:%Y-%m-%d}"
        return None

    def ending_within(self, day: datetime.date, days: int = WARNING_DAYS) -> str | None:
        """What ends within ``days`` of ``day`` (new deployments, or the version itself); None otherwise."""
        horizon = day + datetime.timedelta(days=days)
        if self.new_deployments_until is not None and day < self.new_deployments_until <= horizon:
            left = (self.new_deployments_until - day).days
            return f"takes no new deployments from {self.new_deployments_until:%Y-%m-%d} (in {left} days)"
        if day < self.retires <= horizon:
            return f"retires on {self.retires:%Y-%m-%d} (in {(self.retires - day).days} days)"
        return None


_Row = tuple[str, str, ModelKind, Lifecycle, tuple[DeploymentSku, ...], str, str | None, str | None, str]

_GS: tuple[DeploymentSku, ...] = ("GlobalStandard",)
_GS_DZ: tuple[DeploymentSku, ...] = ("GlobalStandard", "DataZoneStandard")
_GS_DZ_GPM: tuple[DeploymentSku, ...] = ("GlobalStandard", "DataZoneStandard", "GlobalProvisionedManaged")
_GS_GPM_PM: tuple[DeploymentSku, ...] = ("GlobalStandard", "GlobalProvisionedManaged", "ProvisionedManaged")
_NO_REGIONAL: tuple[DeploymentSku, ...] = (*_GS_DZ_GPM, "ProvisionedManaged")

_POLICY = "schedule 2026-09-02; new deployments: policy (retirement - 6 months); skus: regions"
_DEPRECATION = "schedule 2026-09-02; new deployments: deprecation column; skus: regions"
_EMBEDDINGS = "schedule 2026-09-02 (no deprecation: the deprecation column says n/a); skus: regions"

_ROWS: tuple[_Row, ...] = (
    # model, version, kind, lifecycle, deployment types, retires, new deployments until, replacement, source
    # Current chat models: generally available, not ending within 90 days of the catalogue's use
    ("gpt-5.5", "2026-04-24", "chat", "ga", _GS_DZ, "2027-10-26", "2027-04-26", None, _POLICY),
    ("gpt-5.4", "2026-03-05", "chat", "ga", _GS_DZ_GPM, "2027-09-02", "2027-03-02", None, _POLICY),
    ("gpt-5.4-mini", "2026-03-17", "chat", "ga", _GS, "2027-09-21", "2027-03-21", None, _POLICY),
    ("gpt-5.4-nano", "2026-03-17", "chat", "ga", _GS, "2027-09-21", "2027-03-21", None, _POLICY),
    # Older chat versions: listed so a project that asks for one is told what to use instead
    ("gpt-5.2", "2025-12-11", "chat", "ga", _GS_GPM_PM, "2027-06-08", "2026-12-08", "gpt-5.4", _POLICY),
    ("gpt-5.1", "2025-11-13", "chat", "ga", _ALL, "2027-05-15", "2026-11-15", "gpt-5.4", _POLICY),
    ("gpt-5", "2025-08-07", "chat", "ga", _NO_REGIONAL, "2027-02-09", "2026-08-09", "gpt-5.4", _POLICY),
    ("gpt-5-mini", "2025-08-07", "chat", "ga", _NO_REGIONAL, "2027-02-09", "2026-08-09", "gpt-5.4-mini", _POLICY),
    ("gpt-4.1", "2025-04-14", "chat", "legacy", _ALL, "2027-04-14", "2026-04-14", "gpt-5", _DEPRECATION),
    ("gpt-4.1-mini", "2025-04-14", "chat", "legacy", _ALL, "2027-04-14", "2026-04-14", "gpt-5-mini", _DEPRECATION),
    ("gpt-4o", "2024-11-20", "chat", "legacy", _ALL, "2027-04-14", "2025-11-20", "gpt-5.1", _DEPRECATION),
    ("gpt-4o", "2024-08-06", "chat", "deprecated", _ALL, "2027-04-14", "2025-08-06", "gpt-5.1", _DEPRECATION),
    ("gpt-4o-mini", "2024-07-18", "chat", "deprecated", _ALL, "2027-04-14", "2025-07-18", "gpt-4.1-mini", _DEPRECATION),
    ("o4-mini", "2025-04-16", "chat", "deprecated", _ALL, "2026-10-16", "2026-04-16", None, _DEPRECATION),
    # Embeddings (the three Azure AI Search vectorizers support)
    ("text-embedding-3-large", "1", "embeddings", "ga", _STANDARD, "2028-02-09", None, None, _EMBEDDINGS),
    ("text-embedding-3-small", "1", "embeddings", "ga", _STANDARD, "2028-02-09", None, None, _EMBEDDINGS),
    (
        "text-embedding-ada-002",
        "2",
        "embeddings",
        "ga",
        _STANDARD,
        "2028-02-09",
        None,
        "text-embedding-3-small",
        _EMBEDDINGS,
    ),
)


def _version(row: _Row) -> ModelVersion:
    model, version, kind, lifecycle, skus, retires, new_until, replacement, source = row
    until = datetime.date.fromisoformat(new_until) if new_until else None
    return ModelVersion(
        model, version, kind, lifecycle, skus, datetime.date.fromisoformat(retires), until, replacement, source
    )


MODELS: MappingProxyType[tuple[str, str], ModelVersion] = MappingProxyType(
    {(m.model, m.version): m for m in map(_version, _ROWS)}
)
"""Every model version the factory lets projects name, by (model, version)."""


def model_version(model: str, version: str) -> ModelVersion | None:
    """The catalogue's row for ``model`` ``version`` (None when the factory does not know it)."""
    return MODELS.get((model, version))


def deployable(day: datetime.date, kind: ModelKind | None = None) -> tuple[ModelVersion, ...]:
    """The versions Azure accepts new deployments of on ``day`` (of one kind), newest first."""
    return tuple(
        sorted(
            (m for m in MODELS.values() if m.refused_on(day) is None and (kind is None or m.kind == kind)),
            key=lambda m: (m.retires, m.model),
            reverse=True,
        )
    )


def successor(row: ModelVersion, day: datetime.date) -> ModelVersion | None:
    """The first deployable version along Microsoft's replacement chain, else the newest of the same kind."""
    seen: set[str] = set()
    name = row.replacement
    while name is not None and name not in seen:
        seen.add(name)
        candidates = [m for m in deployable(day, row.kind) if m.model == name]
        if candidates:
            return candidates[0]
        known = [m for m in MODELS.values() if m.model == name]
        name = known[0].replacement if known else None
    same_kind = deployable(day, row.kind)
    return same_kind[0] if same_kind else None


_TODAY: ContextVar[datetime.date | None] = ContextVar("aifactory_models_today", default=None)


def today() -> datetime.date:
    """The day lifecycle checks judge against: the real date unless :func:`frozen_today` set one."""
    return _TODAY.get() or datetime.datetime.now(datetime.UTC).date()


@contextlib.contextmanager
def frozen_today(day: datetime.date) -> Iterator[None]:
    """Judge model lifecycles as of ``day`` inside the block (tests, what-if reviews)."""
    token = _TODAY.set(day)
    try:
        yield
    finally:
        _TODAY.reset(token)
