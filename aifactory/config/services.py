"""The ``services:`` section of a project, assembled from the service registry.

Each service declares its own settings model in its module (:mod:`aifactory.services`); this
module makes them one section with one optional field per service, in registry order, so adding a
service adds its field here without editing this file. A service listed under ``services:`` is
enabled (``enabled: true`` is the default once the key is there); an unlisted service is off,
except the type's defaults (:data:`DEFAULT_SERVICES`). Knobs left unset get per-environment
defaults when the project is resolved for an environment (:mod:`aifactory.config.resolve`).

The settings models are re-exported under their historical names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import Field, create_model

from aifactory.config.base import ConfigModel
from aifactory.services.ai_foundry import AiFoundry, ModelDeployment
from aifactory.services.ai_search import AiSearch
from aifactory.services.aks import Aks
from aifactory.services.container_apps import ContainerApps
from aifactory.services.container_registry import ContainerRegistry
from aifactory.services.cosmos_db import CosmosDb
from aifactory.services.data_factory import DataFactory
from aifactory.services.databricks import Databricks
from aifactory.services.event_hubs import EventHub, EventHubs
from aifactory.services.machine_learning import ComputeCluster, MachineLearning
from aifactory.services.model import PROJECT_TYPES, ProjectType, ServiceDeclaration
from aifactory.services.registry import (
    DEFAULT_SERVICES,
    OPTIONAL_SERVICES,
    SERVICE_MODELS,
    SERVICES_BY_TYPE,
    AnyService,
    ServiceName,
)
from aifactory.services.settings import ServiceSettings
from aifactory.services.web_app import WebApp

__all__ = [
    "DEFAULT_SERVICES",
    "SERVICES_BY_TYPE",
    "SERVICE_MODELS",
    "AiFoundry",
    "AiSearch",
    "Aks",
    "ComputeCluster",
    "ContainerApps",
    "ContainerRegistry",
    "CosmosDb",
    "DataFactory",
    "Databricks",
    "EventHub",
    "EventHubs",
    "MachineLearning",
    "ModelDeployment",
    "ProjectType",
    "ServiceName",
    "ServiceSettings",
    "Services",
    "ServicesSection",
    "WebApp",
]

_S = TypeVar("_S")
_TYPE_NAMES: dict[ProjectType, str] = {"esml": "ESML", "genai": "GenAI"}


class ServicesSection(ConfigModel):
    """Optional. The services of the project; each listed service is on unless ``enabled: false``."""

    def get(self, service: ServiceDeclaration[_S, Any]) -> _S | None:
        """The settings of ``service`` as written (or as resolved for an environment), None when unlisted."""
        value: _S | None = getattr(self, service.name, None)
        return value

    def configured(self) -> list[ServiceName]:
        """Services named under ``services:`` (enabled or not), in registry order."""
        return [s.name for s in OPTIONAL_SERVICES if getattr(self, s.name, None) is not None]


def _description(service: AnyService) -> str:
    """``ESML and GenAI. Event Hubs. Default: off.``: who may use it, what it is, whether it is on by default."""
    use = service.projects
    if use is None:
        msg = f"{service.name} is not a project service"
        raise ValueError(msg)
    types = " and ".join(_TYPE_NAMES[t] for t in PROJECT_TYPES if t in use.types)
    default = "on" if use.default else "off"
    note = f" ({use.default_note})" if use.default_note else ""
    return f"{types}. {service.label}. Default: {default}{note}."


if TYPE_CHECKING:
    Services = ServicesSection
else:
    Services = create_model(
        "Services",
        __base__=ServicesSection,
        __doc__=ServicesSection.__doc__,
        __module__=__name__,
        **{
            service.name: (service.settings | None, Field(default=None, description=_description(service)))
            for service in OPTIONAL_SERVICES
        },
    )
