"""The persona vocabulary: who a member is, in the words a project team uses.

Only the names and their meaning live here (the config validates against them); what each
persona may do is decided by the RBAC planner in :mod:`aifactory.plan.rbac`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal, get_args

__all__ = ["CORE_PERSONAS", "PROJECT_PERSONAS", "CorePersona", "ProjectPersona"]

ProjectPersona = Literal[
    "team-lead",
    "data-scientist",
    "ml-engineer",
    "ai-developer",
    "app-developer",
    "data-engineer",
    "reader",
]
CorePersona = Literal["platform-admin", "data-ops"]

PROJECT_PERSONAS = MappingProxyType(
    {
        "team-lead": "leads the project; manages its resources and members' day-to-day access",
        "data-scientist": "explores data, trains and evaluates models in the ML workspace",
        "ml-engineer": "builds pipelines, registers and deploys models, runs compute",
        "ai-developer": "builds GenAI agents and flows in AI Foundry, calls models and search",
        "app-developer": "builds and deploys the project's front-end and APIs",
        "data-engineer": "builds ingestion and transformation (Data Factory, Databricks, Event Hubs)",
        "reader": "views resources, results and data, changes nothing",
    }
)
CORE_PERSONAS = MappingProxyType(
    {
        "platform-admin": "core team: runs the factory, manages common and project resources",
        "data-ops": "core team: owns the datalake master area and publishes data to projects",
    }
)

assert set(PROJECT_PERSONAS) == set(get_args(ProjectPersona))
assert set(CORE_PERSONAS) == set(get_args(CorePersona))
