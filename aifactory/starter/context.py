"""What a project's starter kit is filled with, taken from the factory's pure plans (no Pulumi, no copier).

For every environment the project lists, :func:`kit_context` loads that environment's stack plan
(:func:`aifactory.offline.stack_run.load_plan`, which validates every file) and reads the project's
decisions from it: Azure names from the plan's :class:`~aifactory.plan.naming.Namer`, identities and
federated credentials from the access plan, lake folders and what the project's identities may do in
them from the lake plan (ADLS Gen2's own access check, :func:`~aifactory.plan.lake.permissions_at`).
Nothing is guessed: values only Azure knows after deployment (client ids, the Databricks workspace
URL) are left to variables the kit's README tells the team to set.

The result is plain data (:meth:`KitContext.as_answer`), the one answer the copier template renders.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from aifactory.catalog.naming_rules import ResourceKind
from aifactory.config.project import ProjectSpec
from aifactory.config.services import AiFoundry, Aks, ServiceName
from aifactory.config.types import EnvironmentName
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.offline.stack_run import load_plan
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.lake import Caller, LakePlan, permissions_at, project_folder
from aifactory.plan.rbac import LAKE_TRAVERSE_KEY, PrincipalRef, ProjectAccess
from aifactory.services.ai_foundry import AI_FOUNDRY
from aifactory.services.aks import AKS

__all__ = [
    "AML_CLUSTER",
    "AML_KUBERNETES_COMPUTE",
    "DATA_FACTORY_CREDENTIAL",
    "DATA_FACTORY_LINKED_SERVICES",
    "DATA_FACTORY_RUNTIME",
    "LAKE_ACCOUNT_QUALIFIER",
    "SERVICE_NAME_KINDS",
    "EnvironmentContext",
    "IngestHop",
    "KitContext",
    "LakeArea",
    "kit_context",
    "plan_ingest",
]

SERVICE_NAME_KINDS: Mapping[str, tuple[ResourceKind, str]] = {
    "resource_group": ("resource_group", ""),
    "managed_identity": ("managed_identity", ""),
    "storage_account": ("storage_account", ""),
    "key_vault": ("key_vault", ""),
    "application_insights": ("application_insights", ""),
    "container_registry": ("container_registry", ""),
    "event_hubs_namespace": ("event_hubs_namespace", ""),
    "machine_learning_workspace": ("machine_learning_workspace", ""),
    "databricks_workspace": ("databricks_workspace", ""),
    "databricks_access_connector": ("databricks_access_connector", ""),
    "data_factory": ("data_factory", ""),
    "kubernetes_cluster": ("kubernetes_cluster", ""),
    "ai_services": ("ai_services", ""),
    "ai_foundry_project": ("ai_foundry_project", ""),
    "search_service": ("search_service", ""),
    "cosmos_account": ("cosmos_account", ""),
    "container_apps_environment": ("container_apps_environment", ""),
    "app_service_plan": ("app_service_plan", ""),
    "web_app": ("web_app", ""),
}
"""Each project resource the kit names, as (namer kind, qualifier) exactly as the project components ask the namer.

``tests/starter`` proves every name against the resources the real program registers offline, so a component
that changes a kind or qualifier fails the kit's tests instead of drifting silently.
"""

_NAMES_BY_SERVICE: Mapping[ServiceName | Literal["baseline"], tuple[str, ...]] = {
    "baseline": ("resource_group", "managed_identity", "storage_account", "key_vault", "application_insights"),
    "container_registry": ("container_registry",),
    "event_hubs": ("event_hubs_namespace",),
    "machine_learning": ("machine_learning_workspace",),
    "databricks": ("databricks_workspace", "databricks_access_connector"),
    "data_factory": ("data_factory",),
    "aks": ("kubernetes_cluster",),
    "ai_foundry": ("ai_services", "ai_foundry_project"),
    "ai_search": ("search_service",),
    "cosmos_db": ("cosmos_account",),
    "container_apps": ("container_apps_environment",),
    "web_app": ("app_service_plan", "web_app"),
}

LAKE_ACCOUNT_QUALIFIER = "dl"
"""The datalake account's namer qualifier (``DataLake`` names it ``namer.common("storage_account", "dl")``)."""
AML_CLUSTER = "cpu-cluster"
"""The training cluster ``EsmlProject`` creates in every ML workspace."""
AML_KUBERNETES_COMPUTE = "aks-serving"
"""The workspace's Kubernetes compute when ``aks.attach_to_workspace`` is on (online endpoints run there)."""
DATA_FACTORY_RUNTIME = "ir-managed-vnet"
"""The project factory's integration runtime in its managed VNet."""
DATA_FACTORY_CREDENTIAL = "project-identity"
DATA_FACTORY_LINKED_SERVICES: Mapping[str, str] = {
    "datalake": "ls-datalake",
    "project_storage": "ls-project-storage",
    "project_key_vault": "ls-project-key-vault",
}
"""The linked services ``EsmlProject`` creates in the project's Data Factory (all via the managed runtime)."""

COSMOS_DATABASE = "app"
"""The database the GenAI kit creates for its app's conversations (``enterprise_memory`` belongs to agents)."""
COSMOS_CONTAINER = "conversations"

LakeAreaName = Literal["in", "out", "work"]
_READ = frozenset("rx")


@dataclass(frozen=True)
class LakeArea:
    """A lake folder the kit uses and what the project's identity and CI identity may do there (``rwx`` form)."""

    name: str
    path: str
    url: str
    identity: str
    ci: str | None


@dataclass(frozen=True)
class IngestHop:
    """One DataOps copy: from a lake folder the project identity may read to one it may create files in."""

    source: str
    from_path: str
    to_path: str
    reason: str


@dataclass(frozen=True)
class EnvironmentContext:
    """Everything the kit needs about the project in one environment."""

    name: EnvironmentName
    stack: str
    github_environment: str | None
    location: str
    tenant_id: str
    subscription_id: str
    services: tuple[str, ...]
    names: Mapping[str, str]
    endpoints: Mapping[str, str]
    identity: Mapping[str, str]
    ci: Mapping[str, str] | None
    lake: Mapping[str, Any]
    machine_learning: Mapping[str, Any] | None
    data_factory: Mapping[str, Any] | None
    foundry: Mapping[str, Any] | None
    app: Mapping[str, Any] | None


@dataclass(frozen=True)
class KitContext:
    """The project and its environments, in the order the project lists them."""

    project: Mapping[str, Any]
    environments: tuple[EnvironmentContext, ...]

    def as_answer(self) -> dict[str, Any]:
        """Plain, YAML/JSON-safe data: the ``factory`` answer of the copier template."""
        plain: dict[str, Any] = _plain(dataclasses.asdict(self))
        return plain


def kit_context(project_dir: Path, project: str) -> KitContext:
    """The kit context of ``project`` (an id such as ``7`` or ``007``, or a name) in every environment it lists.

    Raises :class:`ConfigError` when a stack or project file is invalid, the project is unknown, or a stack
    file for one of its environments is missing.
    """
    first = _first_plan_with(project_dir, project)
    spec = first.project(_project_id(first, project)).spec
    plans: list[tuple[str, FactoryPlan]] = []
    problems: list[ConfigProblem] = []
    for environment in spec.environments:
        try:
            plans.append((environment, load_plan(project_dir, environment)))
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    environments = tuple(_environment(stack, plan, spec.id) for stack, plan in plans)
    return KitContext(project=_project(spec, plans[0][1].project(spec.id).file), environments=environments)


def _first_plan_with(project_dir: Path, project: str) -> FactoryPlan:
    """The plan of the first stack (dev, stage, prod, then others) whose projects include ``project``."""
    stacks = sorted(
        (p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml")),
        key=lambda s: ({"dev": 0, "stage": 1, "prod": 2}.get(s, 3), s),
    )
    known: set[str] = set()
    for stack in stacks:
        plan = load_plan(project_dir, stack)
        if _find(plan, project) is not None:
            return plan
        known.update(f"{p.spec.id} ({p.spec.name})" for p in plan.projects)
    raise ConfigError(
        [
            ConfigProblem(
                "projects/",
                "",
                project,
                "is not a project id or name of any stack",
                f"use one of: {', '.join(sorted(known)) or 'no projects found'}",
            )
        ]
    )


def _find(plan: FactoryPlan, project: str) -> int | None:
    wanted = project.strip()
    for planned in plan.projects:
        spec = planned.spec
        if wanted == spec.name or (wanted.isdigit() and int(wanted) == spec.id):
            return spec.id
    return None


def _project_id(plan: FactoryPlan, project: str) -> int:
    found = _find(plan, project)
    assert found is not None  # _first_plan_with returned a plan holding it
    return found


def _project(spec: ProjectSpec, file: str) -> dict[str, Any]:
    github = spec.delivery.github
    return {
        "id": spec.id,
        "key": spec.key,
        "name": spec.name,
        "type": spec.type,
        "description": spec.description or spec.name,
        "file": file,
        "repository": github.repository if github else None,
        "environments": list(spec.environments),
    }


def _environment(stack: str, plan: FactoryPlan, project_id: int) -> EnvironmentContext:
    project = plan.project(project_id)
    spec = project.spec
    access = plan.access.projects[project_id]
    enabled = spec.enabled_services()
    namer = plan.namer
    names: dict[str, str] = {}
    services: list[ServiceName | Literal["baseline"]] = ["baseline", *sorted(enabled)]
    for service in services:
        for key in _NAMES_BY_SERVICE.get(service, ()):
            kind, qualifier = SERVICE_NAME_KINDS[key]
            names[key] = namer.project(kind, spec.id, spec.name, qualifier)
    shared_registry = "container_registry" not in enabled
    if shared_registry:
        names["container_registry"] = namer.common("container_registry")
    subscription = project.subscription_id
    resource_group = names["resource_group"]
    identity_id = (
        f"/subscriptions/{subscription}/resourceGroups/{resource_group}"
        f"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{names['managed_identity']}"
    )
    if "container_apps" in enabled:
        names["container_app"] = namer.project("container_app", spec.id, spec.name)
    github = spec.delivery.github
    return EnvironmentContext(
        name=plan.environment,
        stack=stack,
        github_environment=_github_environment(access),
        location=plan.stack.location,
        tenant_id=plan.stack.tenant_id,
        subscription_id=subscription,
        services=tuple(sorted(enabled)),
        names=names,
        endpoints=_endpoints(names),
        identity={"name": names["managed_identity"], "resource_id": identity_id, "resource_group": resource_group},
        ci=_ci(access, github.repository if github else None),
        lake=_lake(plan, project_id, access),
        machine_learning=_machine_learning(plan, spec) if "machine_learning" in enabled else None,
        data_factory=_data_factory(plan, project_id, access) if "data_factory" in enabled else None,
        foundry=_foundry(spec) if "ai_foundry" in enabled else None,
        app=_app(spec, enabled, shared_registry),
    )


def _github_environment(access: ProjectAccess) -> str | None:
    """The GitHub environment the CI identity trusts: the tail of its federated credential's subject."""
    if access.deployment is None:
        return None
    return access.deployment.credentials[0].subject.split(":environment:", 1)[1]


def _endpoints(names: Mapping[str, str]) -> dict[str, str]:
    """Service URLs that follow from the names (custom subdomains and global names), public cloud."""
    urls = {
        "key_vault": f"https://{names['key_vault']}.vault.azure.net/",
        "storage_blob": f"https://{names['storage_account']}.blob.core.windows.net/",
        "container_registry": f"{names['container_registry']}.azurecr.io",
    }
    if "ai_services" in names:
        account, project = names["ai_services"], names["ai_foundry_project"]
        urls["foundry_project"] = f"https://{account}.services.ai.azure.com/api/projects/{project}"
    if "search_service" in names:
        urls["search"] = f"https://{names['search_service']}.search.windows.net"
    if "cosmos_account" in names:
        urls["cosmos"] = f"https://{names['cosmos_account']}.documents.azure.com:443/"
    if "web_app" in names:
        urls["web_app"] = f"https://{names['web_app']}.azurewebsites.net"
    return urls


def _ci(access: ProjectAccess, repository: str | None) -> dict[str, str] | None:
    deployment = access.deployment
    if deployment is None:
        return None
    credential = deployment.credentials[0]
    return {
        "application": deployment.display_name,
        "repository": repository or "",
        "issuer": credential.issuer,
        "subject": credential.subject,
        "audience": credential.audiences[0],
        "credential": credential.name,
    }


def _callers(access: ProjectAccess) -> tuple[Caller, Caller | None]:
    """The project identity and CI identity as ADLS callers, with the groups the access plan makes them members of."""

    def caller(ref: PrincipalRef) -> Caller:
        groups = frozenset(m.group.key for m in access.memberships if m.member.key == ref.key)
        return Caller(ref.key, groups)

    return caller(access.identity), caller(access.deployment.ref) if access.deployment else None


def _lake(plan: FactoryPlan, project_id: int, access: ProjectAccess) -> dict[str, Any]:
    lake = plan.lake
    account = plan.namer.common("storage_account", LAKE_ACCOUNT_QUALIFIER)
    dfs = f"https://{account}.dfs.core.windows.net"
    identity, ci = _callers(access)
    base = project_folder(project_id)

    def area(name: str, path: str) -> LakeArea:
        return LakeArea(
            name=name,
            path=path,
            url=f"abfss://{lake.container}@{account}.dfs.core.windows.net/{path}",
            identity=permissions_at(lake, identity, path),
            ci=permissions_at(lake, ci, path) if ci else None,
        )

    planned = [f.path for f in lake.for_project(project_id)]
    areas = [area(path.rsplit("/", 1)[1], path) for path in planned if path != base]
    masters = [
        area(source, f"master/{source}") for source in plan.stack.datalake.sources if lake.find(f"master/{source}")
    ]
    return {
        "account": account,
        "container": lake.container,
        "dfs_endpoint": dfs,
        "project_folder": base,
        "areas": {a.name: dataclasses.asdict(a) for a in areas},
        "master": [dataclasses.asdict(m) for m in masters],
        "traverse_group_member": LAKE_TRAVERSE_KEY in identity.groups,
    }


def plan_ingest(lake: LakePlan, identity: Caller, project_id: int, sources: Sequence[str]) -> tuple[IngestHop, ...]:
    """The DataOps copies the project's own Data Factory can really run, one per master source.

    Data moves master → the project's ``in/`` → its ``work/``. Each source's copy takes the first hop whose
    source folder the project identity may list and read and whose target parent it may create files in,
    under the planned ACLs. With the factory's lake model (data-ops publish ``master/<source>`` into
    ``in/``; projects never read ``master/``) that is ``in/<source>`` → ``work/<source>``; a lake plan that
    lets the identity read master and write ``in/`` yields ``master/<source>/out/gold`` → ``in/<source>``.
    """
    base = project_folder(project_id)
    hops: list[IngestHop] = []
    for source in sources:
        candidates = (
            (f"master/{source}/out/gold", f"{base}/in/{source}", f"{base}/in", "master's gold layer into in/"),
            (f"{base}/in/{source}", f"{base}/work/{source}", f"{base}/work", "what data-ops published into in/"),
        )
        for from_path, to_path, parent, reason in candidates:
            readable = set(permissions_at(lake, identity, from_path)) >= _READ
            creatable = {"w", "x"} <= set(permissions_at(lake, identity, parent))
            if readable and creatable:
                hops.append(IngestHop(source, from_path, to_path, reason))
                break
    return tuple(hops)


def _data_factory(plan: FactoryPlan, project_id: int, access: ProjectAccess) -> dict[str, Any]:
    identity, _ = _callers(access)
    sources = plan.stack.datalake.sources
    hops = plan_ingest(plan.lake, identity, project_id, sources)
    return {
        "integration_runtime": DATA_FACTORY_RUNTIME,
        "credential": DATA_FACTORY_CREDENTIAL,
        "linked_services": dict(DATA_FACTORY_LINKED_SERVICES),
        "ingest": [dataclasses.asdict(h) for h in hops],
        "unreachable_sources": [s for s in sources if s not in {h.source for h in hops}],
    }


def _machine_learning(plan: FactoryPlan, spec: ProjectSpec) -> dict[str, Any]:
    """The training cluster, and an online endpoint where the factory attaches AKS to the workspace."""
    aks: Aks | None = spec.services.get(AKS)
    attached = "aks" in spec.enabled_services() and aks is not None and aks.attach_to_workspace
    # Online endpoint names: 3-32 letters, digits and hyphens, starting with a letter; one per workspace.
    endpoint = f"{plan.stack.prefix}-{spec.key}-{plan.environment}-score"[:32].rstrip("-")
    return {
        "compute": AML_CLUSTER,
        "online_endpoint": {"compute": AML_KUBERNETES_COMPUTE, "name": endpoint} if attached else None,
    }


def _foundry(spec: ProjectSpec) -> dict[str, Any]:
    settings: AiFoundry = spec.services.get(AI_FOUNDRY) or AiFoundry()
    models = [{"name": m.name, "model": m.model, "version": m.version} for m in settings.models]
    embedding = next((m for m in models if "embedding" in m["model"]), None)
    chat = next((m for m in models if "embedding" not in m["model"]), None)
    return {
        "models": models,
        "chat_deployment": chat["name"] if chat else None,
        "embedding_deployment": embedding["name"] if embedding else None,
        "agents": settings.agents,
    }


def _app(spec: ProjectSpec, enabled: frozenset[ServiceName], shared_registry: bool) -> dict[str, Any] | None:
    """Where a GenAI project's app runs: its Container Apps environment, else its Web App."""
    if "container_apps" in enabled:
        host = "container_apps"
    elif "web_app" in enabled:
        host = "web_app"
    else:
        return None
    return {
        "host": host,
        "search_index": f"{spec.key}-docs" if "ai_search" in enabled else None,
        "cosmos_database": COSMOS_DATABASE if "cosmos_db" in enabled else None,
        "cosmos_container": COSMOS_CONTAINER if "cosmos_db" in enabled else None,
        "shared_registry": shared_registry,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
