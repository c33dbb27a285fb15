"""Per-service settings of a project.

A service listed under ``services:`` is enabled (``enabled: true`` is the default once the key is
there); an unlisted service is off, except the type's defaults (:data:`DEFAULT_SERVICES`). Knobs
left unset get per-environment defaults when the project is resolved for an environment
(:mod:`aifactory.config.resolve`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from aifactory.config.base import ConfigModel
from aifactory.errors import Invalid

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
    "WebApp",
]

ProjectType = Literal["esml", "genai"]
ServiceName = Literal[
    "machine_learning",
    "databricks",
    "data_factory",
    "aks",
    "event_hubs",
    "container_registry",
    "ai_foundry",
    "ai_search",
    "cosmos_db",
    "container_apps",
    "web_app",
]


class ServiceSettings(ConfigModel):
    """Fields every service shares."""

    enabled: bool = Field(default=True, description="Optional. Turn the service off without deleting its settings.")


class ComputeCluster(ConfigModel):
    """The workspace's CPU training cluster: no public IP, SSH off, scales to zero."""

    vm_size: str | None = Field(
        default=None,
        pattern=r"^Standard_[A-Za-z0-9_]+$",
        description="Optional. VM size. Default: Standard_DS3_v2 in dev and stage, Standard_DS4_v2 in prod.",
    )
    min_nodes: int = Field(default=0, ge=0, le=100, description="Optional. Minimum nodes. Default: 0.")
    max_nodes: int | None = Field(
        default=None, ge=1, le=100, description="Optional. Maximum nodes. Default: 2 dev, 4 stage, 8 prod."
    )
    idle_minutes_before_scale_down: int = Field(
        default=15, ge=1, le=1440, description="Optional. Idle time before nodes are released. Default: 15."
    )

    @model_validator(mode="after")
    def _nodes(self) -> ComputeCluster:
        if self.max_nodes is not None and self.min_nodes > self.max_nodes:
            raise Invalid(
                f"is above max_nodes {self.max_nodes}",
                "lower min_nodes (0 lets the cluster scale to zero) or raise max_nodes",
                field="min_nodes",
                value=self.min_nodes,
            )
        return self


class MachineLearning(ServiceSettings):
    """Azure Machine Learning workspace (v2), private, identity-based datastores."""

    compute: ComputeCluster = Field(default_factory=ComputeCluster, description="Optional. Training cluster.")
    compute_instances: bool = Field(
        default=False,
        description="Optional. One personal compute instance per data-scientist and ml-engineer user. Default: false.",
    )
    compute_instance_vm_size: str = Field(
        default="Standard_DS3_v2", pattern=r"^Standard_[A-Za-z0-9_]+$", description="Optional. Instance size."
    )


class Databricks(ServiceSettings):
    """Azure Databricks, premium, VNet-injected, no public IP, private front end."""

    sku: Literal["premium"] = Field(
        default="premium", description="Optional. Only premium supports private link. Default: premium."
    )


class DataFactory(ServiceSettings):
    """Azure Data Factory with a managed VNet and managed private endpoints."""


class Aks(ServiceSettings):
    """Private AKS cluster for model serving, attachable to the ML workspace."""

    node_vm_size: str | None = Field(
        default=None,
        pattern=r"^Standard_[A-Za-z0-9_]+$",
        description="Optional. Node size. Default: Standard_D4s_v5.",
    )
    min_nodes: int = Field(default=1, ge=1, le=100, description="Optional. Autoscaler minimum. Default: 1.")
    max_nodes: int | None = Field(
        default=None, ge=1, le=100, description="Optional. Autoscaler maximum. Default: 3 dev, 3 stage, 6 prod."
    )
    kubernetes_version: str | None = Field(
        default=None, pattern=r"^\d+\.\d+(\.\d+)?$", description="Optional. Default: the region's default version."
    )
    sku_tier: Literal["Free", "Standard", "Premium"] | None = Field(
        default=None, description="Optional. Control plane tier. Default: Free in dev, Standard in stage and prod."
    )
    attach_to_workspace: bool = Field(
        default=False,
        description="Optional. Attach the cluster to the ML workspace as a Kubernetes compute for online endpoints "
        "(installs the Azure ML cluster extension; inference router on an internal load balancer). Azure ML "
        "needs the cluster's local accounts for this, so they stay enabled; Entra ID RBAC still governs access. "
        "Requires machine_learning. Default: false (Entra-only cluster, no local accounts).",
    )


class EventHub(ConfigModel):
    """One event hub in the namespace."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,49}$", description="Required. Hub name.")
    partitions: int = Field(default=2, ge=1, le=32, description="Optional. Partition count. Default: 2.")
    retention_hours: int = Field(default=24, ge=1, le=168, description="Optional. Retention. Default: 24.")


class EventHubs(ServiceSettings):
    """Event Hubs namespace, Entra-only (local auth off), private."""

    sku: Literal["Standard", "Premium"] = Field(
        default="Standard", description="Optional. Standard or above (private link). Default: Standard."
    )
    capacity: int = Field(default=1, ge=1, le=40, description="Optional. Throughput/processing units. Default: 1.")
    hubs: list[EventHub] = Field(default_factory=list, description="Optional. Event hubs to create. Default: none.")


class ContainerRegistry(ServiceSettings):
    """A dedicated project registry (Premium, private) instead of the environment's shared one."""


class ModelDeployment(ConfigModel):
    """A model deployed on the project's AI Foundry account."""

    name: str = Field(pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$", description="Required. Deployment name.")
    model: str = Field(min_length=2, max_length=64, description="Required. Model name, e.g. gpt-4o-mini.")
    version: str = Field(min_length=1, max_length=32, description="Required. Model version, e.g. 2024-07-18.")
    format: str = Field(default="OpenAI", description="Optional. Model format/publisher. Default: OpenAI.")
    sku: Literal["GlobalStandard", "DataZoneStandard", "Standard", "GlobalProvisionedManaged", "ProvisionedManaged"] = (
        Field(default="GlobalStandard", description="Optional. Deployment type. Default: GlobalStandard.")
    )
    capacity: int = Field(default=10, ge=1, le=10000, description="Optional. Capacity (thousand TPM). Default: 10.")


class AiFoundry(ServiceSettings):
    """AI Foundry account and project (keyless), agents in the project's delegated subnet."""

    models: list[ModelDeployment] = Field(
        default_factory=lambda: [
            ModelDeployment(name="gpt-4o-mini", model="gpt-4o-mini", version="2024-07-18"),
            ModelDeployment(name="text-embedding-3-large", model="text-embedding-3-large", version="1"),
        ],
        description="Optional. Model deployments. Default: gpt-4o-mini and text-embedding-3-large.",
    )
    agents: bool = Field(
        default=True,
        description="Optional. Foundry Agent Service with VNet injection and a project capability host. Default: true.",
    )

    @model_validator(mode="after")
    def _unique_deployments(self) -> AiFoundry:
        names = [m.name for m in self.models]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise Invalid(
                f"deploys {twice[0]!r} more than once",
                "give every model deployment its own name",
                field=f"models[{len(names) - 1 - names[::-1].index(twice[0])}].name",
                value=twice[0],
            )
        return self


class AiSearch(ServiceSettings):
    """Azure AI Search, private, Entra-only."""

    sku: Literal["basic", "standard", "standard2", "standard3"] = Field(
        default="standard", description="Optional. Tier. Default: standard."
    )
    replicas: int = Field(default=1, ge=1, le=12, description="Optional. Replicas. Default: 1.")
    partitions: Literal[1, 2, 3, 4, 6, 12] = Field(default=1, description="Optional. Partitions. Default: 1.")
    semantic_search: Literal["disabled", "free", "standard"] = Field(
        default="free", description="Optional. Semantic ranker plan. Default: free."
    )

    @model_validator(mode="after")
    def _tier_limits(self) -> AiSearch:
        if self.sku == "basic" and (self.replicas > 3 or self.partitions > 1):
            raise Invalid(
                f"the basic tier allows at most 3 replicas and 1 partition (got {self.replicas} and {self.partitions})",
                "lower replicas/partitions or use sku: standard",
                field="replicas" if self.replicas > 3 else "partitions",
                value=self.replicas if self.replicas > 3 else self.partitions,
            )
        if self.replicas * self.partitions > 36:
            raise Invalid(
                f"{self.replicas} replicas x {self.partitions} partitions exceed 36 search units",
                "keep replicas x partitions at 36 or below",
                field="replicas",
                value=self.replicas,
            )
        return self


class CosmosDb(ServiceSettings):
    """Cosmos DB for NoSQL, private, Entra-only."""

    serverless: bool = Field(default=True, description="Optional. Serverless capacity mode. Default: true.")


class ContainerApps(ServiceSettings):
    """Internal Container Apps environment with workload profiles."""

    workload_profile: Literal["D4", "D8", "D16", "E4", "E8"] = Field(
        default="D4", description="Optional. Dedicated workload profile. Default: D4."
    )
    max_instances: int = Field(default=3, ge=1, le=20, description="Optional. Profile maximum count. Default: 3.")


class WebApp(ServiceSettings):
    """Linux Web App with VNet integration and a private endpoint."""

    sku: Literal["B1", "P0v3", "P1v3", "P2v3", "P3v3"] = Field(
        default="P0v3", description="Optional. App Service plan. Default: P0v3."
    )
    runtime: str = Field(
        default="PYTHON|3.12", pattern=r"^[A-Z]+\|[0-9.]+(-lts)?$", description="Optional. Linux runtime stack."
    )


class Services(ConfigModel):
    """Optional. The services of the project; each listed service is on unless ``enabled: false``."""

    machine_learning: MachineLearning | None = Field(default=None, description="ESML. Azure ML. Default: on.")
    databricks: Databricks | None = Field(default=None, description="ESML. Azure Databricks. Default: off.")
    data_factory: DataFactory | None = Field(default=None, description="ESML. Data Factory. Default: off.")
    aks: Aks | None = Field(default=None, description="ESML. Private AKS for serving. Default: off.")
    event_hubs: EventHubs | None = Field(default=None, description="ESML and GenAI. Event Hubs. Default: off.")
    container_registry: ContainerRegistry | None = Field(
        default=None, description="ESML and GenAI. Dedicated registry. Default: off (shared registry)."
    )
    ai_foundry: AiFoundry | None = Field(default=None, description="GenAI. AI Foundry. Default: on.")
    ai_search: AiSearch | None = Field(default=None, description="GenAI. AI Search. Default: on.")
    cosmos_db: CosmosDb | None = Field(default=None, description="GenAI. Cosmos DB. Default: off.")
    container_apps: ContainerApps | None = Field(default=None, description="GenAI. Container Apps. Default: off.")
    web_app: WebApp | None = Field(default=None, description="GenAI. Web App. Default: off.")


SERVICES_BY_TYPE: dict[ProjectType, frozenset[ServiceName]] = {
    "esml": frozenset({"machine_learning", "databricks", "data_factory", "aks", "event_hubs", "container_registry"}),
    "genai": frozenset(
        {"ai_foundry", "ai_search", "cosmos_db", "container_apps", "web_app", "event_hubs", "container_registry"}
    ),
}
DEFAULT_SERVICES: dict[ProjectType, frozenset[ServiceName]] = {
    "esml": frozenset({"machine_learning"}),
    "genai": frozenset({"ai_foundry", "ai_search"}),
}

SERVICE_MODELS: dict[ServiceName, type[ServiceSettings]] = {
    "machine_learning": MachineLearning,
    "databricks": Databricks,
    "data_factory": DataFactory,
    "aks": Aks,
    "event_hubs": EventHubs,
    "container_registry": ContainerRegistry,
    "ai_foundry": AiFoundry,
    "ai_search": AiSearch,
    "cosmos_db": CosmosDb,
    "container_apps": ContainerApps,
    "web_app": WebApp,
}
