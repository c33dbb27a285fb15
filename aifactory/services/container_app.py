"""Container Apps apps for a GenAI project: an API and a web front end in the project's internal environment.

Both run on the environment's Consumption workload profile as the project's managed identity and
pull their images from the project's registry (its own, or the environment's shared one) *with that
identity*: ``configuration.registries`` names the registry's login server and the identity, so no
admin user, token or password exists. The identity's pull rights come from the registry's role sets
(:mod:`aifactory.services.container_registry`).

Ingress is internal: the environment has no public address, and each app's ingress is limited to
the environment by default (``external: false``, what ALZ's "Container Apps should disable external
network access" requires), so the web front end calls the API at ``http://<api app name>``. An app
that people must reach from the network sets ``reachable_from: vnet`` (``external: true`` inside an
internal environment means the virtual network only, never the internet); that needs a recorded
exception of ``ALZ-DENY-PUBLIC-PAAS-CONTAINER-APPS`` where ALZ assigns it. HTTP only over TLS
(``allowInsecure: false``); an HTTP scale rule on concurrent requests between the replica bounds,
with per-environment defaults (scale to zero in dev and stage, one warm replica in prod).

Images are ``repository:tag`` in the project's registry. Without one the app starts from Microsoft's
public quickstart image and the factory leaves the image to CI afterwards (the starter kit's
``az containerapp update --image``; the API app has the name the kit deploys to), so an update of
the stack never rolls back what CI deployed.

Container Apps send their console and system logs through the environment; each app's diagnostic
setting exports its platform metrics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator, model_validator

from aifactory.catalog.diagnostics import METRICS_ONLY
from aifactory.config.base import ConfigModel
from aifactory.errors import Invalid
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.container_apps import CONSUMPTION_PROFILE
from aifactory.services.model import NAME_GUARDRAILS, Built, NoPrivateEndpoint, ProjectUse, ServiceDeclaration, resolved
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    from pulumi_azure_native import app

    from aifactory.config.types import EnvironmentName
    from aifactory.services.context import ServiceContext
    from aifactory.services.registry import ServiceName

__all__ = [
    "CONTAINER_APP",
    "PLACEHOLDER_IMAGE",
    "ContainerAppSettings",
    "ContainerAppsApps",
    "ProjectApps",
    "registry_server",
]

PLACEHOLDER_IMAGE = "mcr.microsoft.com/azuredocs/containerapps-helloworld:latest"
"""Microsoft's quickstart image: what an app without an ``image`` starts from until CI deploys the team's."""

AppRole = Literal["api", "web"]

_PATH_SEGMENT = r"[a-z0-9]+(?:[._-][a-z0-9]+)*"
_IMAGE = rf"^{_PATH_SEGMENT}(?:/{_PATH_SEGMENT})*(?::[A-Za-z0-9_][A-Za-z0-9._-]{{0,127}}|@sha256:[a-f0-9]{{64}})$"
"""A repository path with a tag or digest (the OCI distribution spec's grammar, lowercase paths)."""


@dataclass(frozen=True)
class _EnvironmentDefaults:
    min_replicas: int
    max_replicas: int


_DEFAULTS: MappingProxyType[EnvironmentName, _EnvironmentDefaults] = MappingProxyType(
    {
        "dev": _EnvironmentDefaults(0, 3),
        "stage": _EnvironmentDefaults(0, 5),
        "prod": _EnvironmentDefaults(1, 10),
    }
)


class ContainerAppSettings(ConfigModel):
    """One app: its image, size, replicas, port and who may reach it."""

    image: str | None = Field(
        default=None,
        description="Optional. repository:tag (or @sha256 digest) in the project's registry. Default: none (the "
        "app starts from Microsoft's quickstart image and CI deploys the team's image).",
    )
    cpu: float = Field(
        default=0.5,
        ge=0.25,
        le=4.0,
        multiple_of=0.25,
        description="Optional. vCPU per replica on the Consumption profile (0.25-4, in steps of 0.25). Default: 0.5.",
    )
    memory_gi: float = Field(
        default=1.0,
        description="Optional. Memory per replica in GiB: twice the vCPU on the Consumption profile. Default: 1.0.",
    )
    min_replicas: int | None = Field(
        default=None, ge=0, le=30, description="Optional. Minimum replicas. Default: 0 in dev and stage, 1 in prod."
    )
    max_replicas: int | None = Field(
        default=None, ge=1, le=300, description="Optional. Maximum replicas. Default: 3 dev, 5 stage, 10 prod."
    )
    target_port: int = Field(
        default=8000, ge=1, le=65535, description="Optional. Port the app listens on. Default: 8000."
    )
    concurrent_requests: int = Field(
        default=50,
        ge=1,
        le=1000,
        description="Optional. Concurrent HTTP requests per replica before scaling out. Default: 50.",
    )
    reachable_from: Literal["environment", "vnet"] = Field(
        default="environment",
        description="Optional. environment: only other apps of the environment; vnet: the virtual network too "
        "(needs a recorded ALZ-DENY-PUBLIC-PAAS-CONTAINER-APPS exception where ALZ assigns it). Default: environment.",
    )

    @field_validator("image")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        if value is None:
            return None
        first = value.split("/", 1)[0]
        if "/" in value and ("." in first or ":" in first or first == "localhost"):
            raise Invalid(
                "names a registry; apps pull only from the project's registry",
                "give the repository and tag in the project's registry (e.g. copilot/api:1.4.2); the factory adds "
                "the registry's login server",
                value=value,
            )
        if not re.fullmatch(_IMAGE, value):
            raise Invalid(
                "is not a repository:tag or repository@sha256 digest",
                "use lowercase repository path segments and a tag, e.g. copilot/api:1.4.2",
                value=value,
            )
        return value

    @model_validator(mode="after")
    def _sizes(self) -> ContainerAppSettings:
        if self.memory_gi != self.cpu * 2:
            raise Invalid(
                f"is not twice the vCPU ({self.cpu}); the Consumption profile allocates 2 GiB per vCPU",
                f"set memory_gi: {self.cpu * 2}",
                field="memory_gi",
                value=self.memory_gi,
            )
        if self.min_replicas is not None and self.max_replicas is not None and self.min_replicas > self.max_replicas:
            raise Invalid(
                f"is above max_replicas {self.max_replicas}",
                "lower min_replicas or raise max_replicas",
                field="min_replicas",
                value=self.min_replicas,
            )
        return self


class ContainerAppsApps(ServiceSettings):
    """The project's API and web front end in its Container Apps environment."""

    api: ContainerAppSettings = Field(default_factory=ContainerAppSettings, description="Optional. The API app.")
    web: ContainerAppSettings = Field(default_factory=ContainerAppSettings, description="Optional. The web front end.")


def _environment_defaults(settings: ContainerAppsApps, environment: EnvironmentName) -> ContainerAppsApps:
    defaults = _DEFAULTS[environment]

    def fill(spec: ContainerAppSettings) -> ContainerAppSettings:
        low = defaults.min_replicas if spec.min_replicas is None else spec.min_replicas
        high = max(defaults.max_replicas, low) if spec.max_replicas is None else spec.max_replicas
        return spec.model_copy(update={"min_replicas": min(low, high), "max_replicas": high})

    return settings.model_copy(update={"api": fill(settings.api), "web": fill(settings.web)})


def _project_checks(settings: ContainerAppsApps, enabled: frozenset[ServiceName]) -> list[Invalid]:
    if "container_apps" in enabled:
        return []
    return [
        Invalid(
            "runs its apps in the project's Container Apps environment, which is not enabled",
            "enable services.container_apps (the environment) too",
            field="services.container_app",
            value="enabled",
        )
    ]


OPERATE_APPS = RoleSet(
    "deploy new revisions of, scale and restart the project's API and web apps (not the environment)",
    {"container_app": ("Container Apps Contributor",), "container_app_web": ("Container Apps Contributor",)},
)


def registry_server(ctx: ServiceContext) -> str:
    """The login server of the registry the project's apps pull from: its own, or the shared one."""
    project = ctx.require_project()
    if "container_registry" in ctx.deployed:
        name = ctx.deployed["container_registry"].service.azure_name
    else:
        name = project.common.container_registry_name
    return f"{name.lower()}.azurecr.io"


@dataclass(frozen=True, kw_only=True)
class ProjectApps(Built["app.ContainerApp"]):
    """The API app (``resource``) and the web front end."""

    web: app.ContainerApp


def _app(
    ctx: ServiceContext, role: AppRole, spec: ContainerAppSettings, env: dict[str, str], logical: str
) -> app.ContainerApp:
    from pulumi_azure_native import app

    project = ctx.require_project()
    identity = project.identity
    server = registry_server(ctx)
    image = f"{server}/{spec.image}" if spec.image else PLACEHOLDER_IMAGE
    variables = [
        app.EnvironmentVarArgs(name="AZURE_CLIENT_ID", value=identity.identity_client_id),
        *(app.EnvironmentVarArgs(name=k, value=v) for k, v in env.items()),
    ]
    if project.app_insights_connection_string is not None:
        variables.append(
            app.EnvironmentVarArgs(
                name="APPLICATIONINSIGHTS_CONNECTION_STRING", value=project.app_insights_connection_string
            )
        )
    return app.ContainerApp(
        logical,
        container_app_name=ctx.service.azure_name if role == "api" else ctx.name("container_app", role),
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        managed_environment_id=ctx.id_of("container_apps"),
        workload_profile_name=CONSUMPTION_PROFILE,
        identity=app.ManagedServiceIdentityArgs(
            type=app.ManagedServiceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity.identity_id]
        ),
        configuration=app.ConfigurationArgs(
            active_revisions_mode=app.ActiveRevisionsMode.SINGLE,
            ingress=app.IngressArgs(
                external=spec.reachable_from == "vnet",
                target_port=spec.target_port,
                transport=app.IngressTransportMethod.AUTO,
                allow_insecure=False,
            ),
            registries=[app.RegistryCredentialsArgs(server=server, identity=identity.identity_id)],
        ),
        template=app.TemplateArgs(
            containers=[
                app.ContainerArgs(
                    name=role,
                    image=image,
                    resources=app.ContainerResourcesArgs(cpu=spec.cpu, memory=f"{spec.memory_gi}Gi"),
                    env=variables,
                )
            ],
            scale=app.ScaleArgs(
                min_replicas=resolved(spec.min_replicas, f"container_app.{role}.min_replicas"),
                max_replicas=resolved(spec.max_replicas, f"container_app.{role}.max_replicas"),
                rules=[
                    app.ScaleRuleArgs(
                        name="http-requests",
                        http=app.HttpScaleRuleArgs(metadata={"concurrentRequests": str(spec.concurrent_requests)}),
                    )
                ],
            ),
        ),
        tags=dict(ctx.tags),
        # Without an image in the project file, CI owns the image: later updates never roll it back.
        opts=ctx.options(ignore_changes=[] if spec.image else ["template.containers[0].image"]),
    )


def _build(ctx: ServiceContext, settings: ContainerAppsApps | None) -> ProjectApps:
    settings = resolved(settings, "container_app")
    api = _app(ctx, "api", settings.api, {}, ctx.service.logical_name)
    web = _app(
        ctx, "web", settings.web, {"API_URL": f"http://{ctx.service.azure_name}"}, f"{ctx.service.logical_name}-web"
    )
    return ProjectApps(resource=api, web=web, scopes={"container_app_web": web.id}, children={"web": web})


CONTAINER_APP: ServiceDeclaration[ContainerAppsApps, ProjectApps] = ServiceDeclaration(
    name="container_app",
    title="Azure Container Apps apps (API and web front end)",
    label="Container Apps apps",
    summary="An API and a web front end in the project's internal Container Apps environment, pulling from the "
    "project's registry with its managed identity, internal ingress, HTTP scale rules.",
    naming_kind="container_app",
    logical_stem="ca",
    settings=ContainerAppsApps,
    projects=ProjectUse(types=("genai",)),
    common=None,
    endpoints=NoPrivateEndpoint(
        "apps are reached through their environment's private endpoint (managedEnvironments), never their own"
    ),
    diagnostics=METRICS_ONLY,
    child_diagnostics={"web": METRICS_ONLY},
    lifecycle="none",
    roles=ServiceRoles(
        personas={"team-lead": (OPERATE_APPS,), "app-developer": (OPERATE_APPS,)},
        deployment=(OPERATE_APPS,),
    ),
    build=_build,
    extra_scopes=("container_app_web",),
    project_checks=_project_checks,
    environment_defaults=_environment_defaults,
    scaffold={"full": {}},
    guardrails=(
        "AIF-LOCAL-AUTH",
        "AIF-HTTPS-ONLY",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-CONTAINER-APPS",
        "ALZ-CONTAINER-APPS-MANAGED-IDENTITY",
        "ALZ-CONTAINER-APPS-HTTPS",
        *NAME_GUARDRAILS,
    ),
)
