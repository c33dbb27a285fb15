"""A Linux Web App for a GenAI project's front end: VNet-integrated, behind a private endpoint, no basic auth.

A Linux App Service plan and site with regional VNet integration in the project's ``app_service``
subnet (delegated to ``Microsoft.Web/serverFarms``) routing all outbound traffic through it,
public network access off (the private endpoint ``sites`` is the way in; ``network.allow_ips``
opens the site to those ranges, every other caller denied by the site's access restrictions),
HTTPS only, TLS 1.2 for the site and its SCM site, FTP(S) off, basic-auth publishing off for FTP
and SCM (deploy with Entra ID), running as the project's identity (``AZURE_CLIENT_ID`` points
``DefaultAzureCredential`` at it, Key Vault references use it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import Built, PrivateEndpoints, ProjectUse, ServiceDeclaration, SubnetNeeds, resolved
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    import pulumi
    from pulumi_azure_native import web

    from aifactory.plan.public_access import PublicAccess
    from aifactory.services.context import ServiceContext

__all__ = [
    "APP_SERVICE_TIERS",
    "OPERATE_WEB_APP",
    "WEB_APP",
    "WebApp",
    "disable_basic_publishing",
    "hardened_site_config",
    "web_app_access",
]

APP_SERVICE_TIERS = {"B1": "Basic", "P0v3": "Premium0V3", "P1v3": "PremiumV3", "P2v3": "PremiumV3", "P3v3": "PremiumV3"}


class WebApp(ServiceSettings):
    """Linux Web App with VNet integration and a private endpoint."""

    sku: Literal["B1", "P0v3", "P1v3", "P2v3", "P3v3"] = Field(
        default="P0v3", description="Optional. App Service plan. Default: P0v3."
    )
    runtime: str = Field(
        default="PYTHON|3.12", pattern=r"^[A-Z]+\|[0-9.]+(-lts)?$", description="Optional. Linux runtime stack."
    )


OPERATE_WEB_APP = RoleSet(
    "deploy, configure and restart the project's web app (not its plan)",
    {"web_app": ("Website Contributor",)},
)


def web_app_access(access: PublicAccess) -> dict[str, Any]:
    """Site-level public network access and the site config's IP restrictions (deny by default)."""
    from pulumi_azure_native import web

    return {
        "public_network_access": "Enabled" if access.enabled else "Disabled",
        "ip_security_restrictions": [
            web.IpSecurityRestrictionArgs(
                ip_address=r,
                action="Allow",
                priority=100 + index,
                name=f"allow-ips-{index}",
                tag=web.IpFilterTag.DEFAULT,
            )
            for index, r in enumerate(access.ranges)
        ]
        or None,
        "ip_security_restrictions_default_action": web.DefaultAction.DENY,
    }


def _build(ctx: ServiceContext, settings: WebApp | None) -> Built[web.WebApp]:
    from pulumi_azure_native import web

    settings = resolved(settings, "web_app")
    identity = ctx.require_project().identity
    plan = web.AppServicePlan(
        f"{ctx.workload}-asp",
        name=ctx.name("app_service_plan"),
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        kind="linux",
        reserved=True,
        sku=web.SkuDescriptionArgs(name=settings.sku, tier=APP_SERVICE_TIERS[settings.sku]),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    access = ctx.access_args()
    site = web.WebApp(
        ctx.service.logical_name,
        name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        kind="app,linux",
        server_farm_id=plan.id,
        https_only=True,
        public_network_access=access["public_network_access"],
        virtual_network_subnet_id=ctx.subnet_id("app_service"),
        outbound_vnet_routing=web.OutboundVnetRoutingArgs(all_traffic=True),
        client_affinity_enabled=False,
        identity=web.ManagedServiceIdentityArgs(
            type=web.ManagedServiceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity.identity_id]
        ),
        key_vault_reference_identity=identity.identity_id,
        site_config=hardened_site_config(
            access,
            {"AZURE_CLIENT_ID": identity.identity_client_id},
            linux_fx_version=settings.runtime,
            always_on=True,
        ),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    disable_basic_publishing(ctx, site)
    return Built(resource=site)


def hardened_site_config(
    access: Mapping[str, Any], app_settings: Mapping[str, pulumi.Input[str]], **extra: Any
) -> web.SiteConfigArgs:
    """A site's configuration as every site of the factory has it: FTP(S) off, TLS 1.2 for the site and its
    SCM site, HTTP/2, no remote debugging, the access restrictions of ``access`` (deny by default)."""
    from pulumi_azure_native import web

    return web.SiteConfigArgs(
        ftps_state=web.FtpsState.DISABLED,
        min_tls_version=web.SupportedTlsVersions.SUPPORTED_TLS_VERSIONS_1_2,
        scm_min_tls_version=web.SupportedTlsVersions.SUPPORTED_TLS_VERSIONS_1_2,
        http20_enabled=True,
        remote_debugging_enabled=False,
        ip_security_restrictions=access["ip_security_restrictions"],
        ip_security_restrictions_default_action=access["ip_security_restrictions_default_action"],
        app_settings=[web.NameValuePairArgs(name=k, value=v) for k, v in app_settings.items()],
        **extra,
    )


def disable_basic_publishing(ctx: ServiceContext, site: web.WebApp) -> None:
    """Publishing with a user name and password (FTP, and the SCM site's basic auth) off: deploy with Entra ID."""
    import pulumi
    from pulumi_azure_native import web

    web.WebAppFtpAllowed(
        f"{ctx.service.logical_name}-ftp",
        name=site.name,
        resource_group_name=ctx.resource_group_name,
        allow=False,
        opts=pulumi.ResourceOptions(parent=site),
    )
    web.WebAppScmAllowed(
        f"{ctx.service.logical_name}-scm",
        name=site.name,
        resource_group_name=ctx.resource_group_name,
        allow=False,
        opts=pulumi.ResourceOptions(parent=site),
    )


WEB_APP: ServiceDeclaration[WebApp, Built[web.WebApp]] = ServiceDeclaration(
    name="web_app",
    title="Azure App Service (Linux Web App)",
    label="Web App",
    summary="A Linux App Service plan and site for the project's front end: VNet-integrated, behind a private "
    "endpoint, deployed with Entra ID only.",
    naming_kind="web_app",
    logical_stem="app",
    settings=WebApp,
    projects=ProjectUse(types=("genai",)),
    common=None,
    endpoints=PrivateEndpoints("web_app", ("sites",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="none",
    ip_firewall=web_app_access,
    roles=ServiceRoles(
        personas={"team-lead": (OPERATE_WEB_APP,), "app-developer": (OPERATE_WEB_APP,)},
        deployment=(OPERATE_WEB_APP,),
    ),
    build=_build,
    subnets=SubnetNeeds(("app_service",), why="regional VNet integration (delegated to Microsoft.Web/serverFarms)"),
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-TLS12",
        "AIF-HTTPS-ONLY",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-WEB-APP",
        "ALZ-WEB-APP-VNET-CONFIG-ROUTING",
        "ALZ-WEB-APP-VNET-ROUTE-ALL",
        "ALZ-WEB-APP-HTTPS",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
