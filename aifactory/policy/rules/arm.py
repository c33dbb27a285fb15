"""Limits Azure Resource Manager enforces and the SDK does not: names, counts, required properties.

A name that is too long or holds a forbidden character passes ``pulumi preview`` and fails the
first ``pulumi up``. The limits below are those of Microsoft Learn's "Naming rules and restrictions
for Azure resources", keyed by the azure-native input that carries the name - including the names
the factory composes itself (private endpoints and their NICs, locks, diagnostic settings, the Data
Factory managed-VNet deployment, compute names).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from aifactory.catalog import models as model_catalogue
from aifactory.config.cost import MAX_BUDGET_NOTIFICATIONS
from aifactory.policy import types as rt
from aifactory.policy.fields import equals, shown
from aifactory.policy.model import UNKNOWN, GuardrailContext, ResourceRule, ResourceView
from aifactory.policy.sources import learn

__all__ = ["ARM_RULES", "NAME_EXEMPT", "NAME_LIMITS", "NameLimit"]

_NAME_RULES_URL = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"


@dataclass(frozen=True)
class NameLimit:
    """Length and characters of one name input."""

    path: str
    min_length: int
    max_length: int
    pattern: str
    characters: str

    def problems(self, value: str) -> tuple[str | None, str | None]:
        """(length problem, character problem) of ``value``."""
        length = None
        if not self.min_length <= len(value) <= self.max_length:
            length = (
                f"{self.path} {value!r} has {len(value)} characters; Azure allows "
                f"{self.min_length}-{self.max_length}: shorten the name (e.g. a shorter project slug)"
            )
        characters = None
        if not re.fullmatch(self.pattern, value):
            characters = f"{self.path} {value!r} breaks Azure's character rules ({self.characters}): rename it"
        return length, characters


def _limit(path: str, low: int, high: int, pattern: str, characters: str) -> NameLimit:
    return NameLimit(path, low, high, pattern, characters)


_NETWORK = r"[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?"
_NETWORK_TEXT = "alphanumerics, underscores, periods and hyphens; start alphanumeric; end alphanumeric or underscore"
_HYPHEN = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
_HYPHEN_TEXT = "alphanumerics and hyphens; start and end alphanumeric"
_LOWER_HYPHEN = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
_LOWER_HYPHEN_TEXT = "lowercase letters, digits and hyphens; start and end with a letter or digit"
_RESOURCE_GROUP = r"[-\w.()]*[-\w()]"
_RESOURCE_GROUP_TEXT = "alphanumerics, underscores, parentheses, hyphens and periods; not ending in a period"
_DEPLOYMENT = r"[-\w.()]+"
_DEPLOYMENT_TEXT = "alphanumerics, underscores, parentheses, hyphens and periods"
_LOCK = r"[-\w.()]*[-\w()]"
_LOCK_TEXT = "alphanumerics, periods, underscores, hyphens and parentheses; not ending in a period"
_DIAG = r"[^*<>%{}&:\\?+/#|]+"
_DIAG_TEXT = "no * < > % { } & : \\ ? + / # |"

NAME_LIMITS: dict[str, tuple[NameLimit, ...]] = {
    "azure-native:resources:ResourceGroup": (
        _limit("resourceGroupName", 1, 90, _RESOURCE_GROUP, _RESOURCE_GROUP_TEXT),
    ),
    rt.DEPLOYMENT: (_limit("deploymentName", 1, 64, _DEPLOYMENT, _DEPLOYMENT_TEXT),),
    rt.LOCK: (_limit("lockName", 1, 90, _LOCK, _LOCK_TEXT),),
    rt.DIAGNOSTIC_SETTING: (_limit("name", 1, 260, _DIAG, _DIAG_TEXT),),
    rt.VIRTUAL_NETWORK: (_limit("virtualNetworkName", 2, 64, _NETWORK, _NETWORK_TEXT),),
    rt.SUBNET: (_limit("subnetName", 1, 80, _NETWORK, _NETWORK_TEXT),),
    rt.NSG: (_limit("networkSecurityGroupName", 1, 80, _NETWORK, _NETWORK_TEXT),),
    rt.SECURITY_RULE: (_limit("securityRuleName", 1, 80, _NETWORK, _NETWORK_TEXT),),
    "azure-native:network:RouteTable": (_limit("routeTableName", 1, 80, _NETWORK, _NETWORK_TEXT),),
    "azure-native:network:VirtualNetworkPeering": (
        _limit("virtualNetworkPeeringName", 1, 80, _NETWORK, _NETWORK_TEXT),
    ),
    rt.PRIVATE_ENDPOINT: (
        _limit("privateEndpointName", 2, 64, _NETWORK, _NETWORK_TEXT),
        _limit("customNetworkInterfaceName", 1, 80, _NETWORK, _NETWORK_TEXT),
    ),
    rt.NETWORK_INTERFACE: (_limit("networkInterfaceName", 1, 80, _NETWORK, _NETWORK_TEXT),),
    rt.PUBLIC_IP: (_limit("publicIpAddressName", 1, 80, _NETWORK, _NETWORK_TEXT),),
    rt.BASTION: (_limit("bastionHostName", 1, 80, _NETWORK, _NETWORK_TEXT),),
    "azure-native:privatedns:VirtualNetworkLink": (_limit("virtualNetworkLinkName", 1, 80, _NETWORK, _NETWORK_TEXT),),
    rt.VIRTUAL_MACHINE: (
        _limit(
            "vmName",
            1,
            64,
            r"[^\\/\"\[\]:|<>+=;,?*@&_ ][^\\/\"\[\]:|<>+=;,?*@& ]*[^\\/\"\[\]:|<>+=;,?*@&.-]",
            'no \\ / " [ ] : | < > + = ; , ? * @ & and no leading underscore or trailing period or hyphen',
        ),
        _limit("osProfile.computerName", 1, 64, _HYPHEN, _HYPHEN_TEXT + " (Linux host names)"),
    ),
    rt.STORAGE_ACCOUNT: (_limit("accountName", 3, 24, r"[a-z0-9]+", "lowercase letters and digits"),),
    rt.KEY_VAULT: (
        _limit(
            "vaultName",
            3,
            24,
            r"[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]",
            "alphanumerics and hyphens; start with a letter; no consecutive hyphens",
        ),
    ),
    rt.CONTAINER_REGISTRY: (_limit("registryName", 5, 50, r"[A-Za-z0-9]+", "alphanumerics"),),
    rt.LOG_ANALYTICS: (_limit("workspaceName", 4, 63, _HYPHEN, _HYPHEN_TEXT),),
    rt.APP_INSIGHTS: (_limit("resourceName", 1, 255, r"[^%&\\?/]+", "no % & \\ ? /"),),
    "azure-native:managedidentity:UserAssignedIdentity": (
        _limit(
            "resourceName",
            3,
            128,
            r"[A-Za-z0-9][A-Za-z0-9_-]*",
            "alphanumerics, hyphens and underscores; start alphanumeric",
        ),
    ),
    rt.ML_WORKSPACE: (
        _limit(
            "workspaceName",
            3,
            33,
            r"[A-Za-z0-9][A-Za-z0-9_-]*",
            "alphanumerics, hyphens and underscores; start alphanumeric",
        ),
    ),
    rt.ML_COMPUTE: (_limit("computeName", 2, 16, _HYPHEN, _HYPHEN_TEXT),),
    rt.DATABRICKS: (_limit("workspaceName", 3, 64, r"[A-Za-z0-9_-]+", "alphanumerics, underscores and hyphens"),),
    rt.ACCESS_CONNECTOR: (_limit("connectorName", 3, 64, r"[A-Za-z0-9_-]+", "alphanumerics, underscores and hyphens"),),
    rt.DATA_FACTORY: (_limit("factoryName", 3, 63, _HYPHEN, _HYPHEN_TEXT),),
    rt.AKS: (
        _limit(
            "resourceName",
            1,
            63,
            r"[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?",
            "alphanumerics, underscores and hyphens; start and end alphanumeric",
        ),
    ),
    rt.EVENT_HUBS: (
        _limit(
            "namespaceName",
            6,
            50,
            r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]",
            "alphanumerics and hyphens; start with a letter; end alphanumeric",
        ),
    ),
    rt.COGNITIVE_ACCOUNT: (
        _limit(
            "accountName",
            2,
            64,
            r"[A-Za-z0-9][A-Za-z0-9_.-]*",
            "alphanumerics, underscores, periods and hyphens; start alphanumeric",
        ),
    ),
    rt.SEARCH: (_limit("searchServiceName", 2, 60, _LOWER_HYPHEN, _LOWER_HYPHEN_TEXT),),
    rt.COSMOS_ACCOUNT: (_limit("accountName", 3, 44, _LOWER_HYPHEN, _LOWER_HYPHEN_TEXT),),
    rt.CONTAINER_APPS_ENV: (
        _limit(
            "environmentName",
            2,
            60,
            r"[a-z][a-z0-9-]*[a-z0-9]",
            "lowercase letters, digits and hyphens; start with a letter",
        ),
    ),
    rt.CONTAINER_APP: (
        _limit(
            "containerAppName",
            2,
            32,
            r"[a-z][a-z0-9-]*[a-z0-9]",
            "lowercase letters, digits and hyphens; start with a letter",
        ),
    ),
    rt.APP_SERVICE_PLAN: (_limit("name", 1, 60, r"[A-Za-z0-9-]+", "alphanumerics and hyphens"),),
    rt.WEB_APP: (_limit("name", 2, 60, _HYPHEN, _HYPHEN_TEXT),),
    rt.BUDGET: (_limit("budgetName", 1, 63, r"[A-Za-z0-9_-]+", "alphanumerics, underscores and hyphens"),),
    rt.DASHBOARD: (_limit("dashboardName", 3, 160, r"[A-Za-z0-9-]+", "alphanumerics and hyphens"),),
    "azure-native:eventhub:EventHub": (
        _limit("eventHubName", 1, 256, r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?", _NETWORK_TEXT),
    ),
    "azure-native:cosmosdb:SqlResourceSqlDatabase": (
        _limit("databaseName", 1, 255, r"[^/\\#?]*[^/\\#? ]", "no / \\ # ? and no trailing space"),
    ),
    rt.LINKED_SERVICE: (
        _limit(
            "linkedServiceName",
            1,
            260,
            r"[A-Za-z0-9][^<>*#.%&:\\+?/]*",
            "start alphanumeric; no < > * # . % & : \\ + ? /",
        ),
    ),
    "azure-native:datafactory:IntegrationRuntime": (_limit("integrationRuntimeName", 3, 63, _HYPHEN, _HYPHEN_TEXT),),
    "azure-native:cognitiveservices:Project": (
        _limit("projectName", 2, 64, r"[A-Za-z0-9][A-Za-z0-9_.-]*", "alphanumerics, underscores, periods and hyphens"),
    ),
    rt.POSTGRESQL_SERVER: (_limit("serverName", 3, 63, _LOWER_HYPHEN, _LOWER_HYPHEN_TEXT),),
    "azure-native:dbforpostgresql:Database": (
        _limit("databaseName", 1, 63, r"[A-Za-z0-9_-]+", "alphanumerics, underscores and hyphens (63 bytes)"),
    ),
    rt.REDIS_CLUSTER: (
        _limit(
            "clusterName",
            1,
            60,
            r"[A-Za-z0-9](?!.*--)([A-Za-z0-9-]*[A-Za-z0-9])?",
            "alphanumerics and hyphens; start and end alphanumeric; no consecutive hyphens",
        ),
    ),
    "azure-native:redisenterprise:AccessPolicyAssignment": (
        _limit("accessPolicyAssignmentName", 1, 60, r"[A-Za-z0-9]+", "alphanumerics"),
    ),
    rt.SQL_SERVER: (_limit("serverName", 1, 63, _LOWER_HYPHEN, _LOWER_HYPHEN_TEXT),),
    rt.SQL_DATABASE: (
        _limit(
            "databaseName",
            1,
            128,
            r"[^<>*%&:\\/?\x00-\x1f]*[^<>*%&:\\/?\x00-\x1f. ]",
            "no < > * % & : \\ / ? or control characters; not ending in a period or space",
        ),
    ),
    rt.BLOB_CONTAINER: (
        _limit(
            "containerName",
            3,
            63,
            r"[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]",
            "lowercase letters, digits and hyphens; start and end with a letter or digit; no consecutive hyphens",
        ),
    ),
}
"""The name inputs of every type the factory creates, with Azure's limits."""

NAME_EXEMPT: dict[str, str] = {
    "azure-native:authorization:RoleAssignment": "named by a deterministic GUID",
    "azure-native:cosmosdb:SqlResourceSqlRoleAssignment": "named by a deterministic GUID",
    "azure-native:network:PrivateDnsZoneGroup": "always 'default'",
    "azure-native:privatedns:PrivateZone": "the privatelink zone names Azure defines",
    "azure-native:storage:BlobServiceProperties": "always 'default', the only name Azure accepts",
    "azure-native:web:WebAppFtpAllowed": "a fixed policy name",
    "azure-native:web:WebAppScmAllowed": "a fixed policy name",
    "azure-native:compute:VirtualMachineExtension": "the extension's published name",
    "azure-native:devtestlab:GlobalSchedule": "'shutdown-computevm-<vm>', the form Azure requires",
    "azure-native:resources:Resource": "a fixed sub-resource name (Foundry capability host)",
    "azure-native:datafactory:ManagedPrivateEndpoint": "short fixed names the factory chooses",
    "azure-native:datafactory:CredentialOperation": "a short fixed name the factory chooses",
    "azure-native:cognitiveservices:ProjectConnection": "short fixed names the factory chooses",
    rt.COGNITIVE_DEPLOYMENT: "the model deployment names of the project file",
    "azure-native:dbforpostgresql:Configuration": "server parameter names PostgreSQL defines",
    "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": "named by the administrator's object id",
    "azure-native:redisenterprise:Database": "always 'default', the only name Azure Managed Redis accepts",
    "azure-native:sql:ServerAzureADAdministrator": "always 'ActiveDirectory', the only name Azure accepts",
    "azure-native:sql:ServerAzureADOnlyAuthentication": "always 'Default', the only name Azure accepts",
    "azure-native:sql:ServerBlobAuditingPolicy": "always 'default', the only name Azure accepts",
    "azure-native:sql:BackupShortTermRetentionPolicy": "always 'default', the only name Azure accepts",
    "azure-native:search:SharedPrivateLinkResource": "short fixed names the factory chooses",
}
"""Types the factory creates whose names are fixed, GUIDs or Azure's own: no length rule needed."""


ML_COMPUTE_INSTANCE_NAME = _limit("computeName", 3, 24, _HYPHEN, _HYPHEN_TEXT)
"""Azure ML compute *instances* take 3-24 characters (compute clusters 2-16): "Create a compute instance"."""


def _names(view: ResourceView) -> Iterable[tuple[NameLimit, str]]:
    limits = NAME_LIMITS.get(view.type, ())
    if view.type == rt.ML_COMPUTE and equals(view.get("properties.computeType"), "ComputeInstance"):
        limits = (ML_COMPUTE_INSTANCE_NAME,)
    for limit in limits:
        value = view.get(limit.path)
        if isinstance(value, str):
            yield limit, value


def _length(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    for limit, value in _names(view):
        problem, _ = limit.problems(value)
        if problem:
            yield problem


def _characters(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    for limit, value in _names(view):
        _, problem = limit.problems(value)
        if problem:
            yield problem


# azure-native ``consumption.Budget``: "Budget can have up to five notifications"; the project model
# refuses more (the planner fits actual and forecast alerts into five: :mod:`aifactory.plan.cost`).


def _budget_notifications(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    notifications = view.get("notifications")
    if not isinstance(notifications, dict) or len(notifications) <= MAX_BUDGET_NOTIFICATIONS:
        return []
    return [
        f"notifications has {len(notifications)} entries; a budget allows at most {MAX_BUDGET_NOTIFICATIONS} "
        "(each threshold sends an actual-cost alert, forecast alerts fill the rest): use fewer thresholds"
    ]


DATABRICKS_COMPUTE_MODES = ("Serverless", "Hybrid")
"""azure-native ``databricks.Workspace.compute_mode``: "Required on create, cannot be changed"."""


def _required_on_create(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    mode = view.get("computeMode")
    if mode is UNKNOWN:
        return []
    if mode is None:
        return ["computeMode is not set; Azure requires it on create: set computeMode to 'Hybrid' (VNet injection)"]
    if not any(equals(mode, m) for m in DATABRICKS_COMPUTE_MODES):
        return [f"computeMode is {shown(mode)}: use one of {', '.join(DATABRICKS_COMPUTE_MODES)}"]
    if equals(mode, "Serverless") and view.get("requiredNsgRules") is not None:
        return ["requiredNsgRules is set on a Serverless workspace, which Azure refuses: remove it"]
    if equals(mode, "Serverless") and view.get("parameters.customVirtualNetworkId.value"):
        return ["a Serverless workspace cannot be VNet-injected: use computeMode 'Hybrid'"]
    return []


def _model_lifecycle(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    """A deployed model version whose new deployments end or that retires within the warning window."""
    name, version = view.get("properties.model.name"), view.get("properties.model.version")
    if not isinstance(name, str) or not isinstance(version, str):
        return []
    row = model_catalogue.model_version(name, version)
    day = model_catalogue.today()
    ending = row.ending_within(day) if row is not None else None
    if row is None or ending is None:
        return []
    replacement = model_catalogue.successor(row, day + datetime.timedelta(days=model_catalogue.WARNING_DAYS))
    move = f"move to {replacement.label}" if replacement is not None else "choose a newer model version"
    return [
        f"{row.label} {ending}: {move} in the project file before then (an environment added later could not "
        "deploy it, and a retired version fails every call)"
    ]


ARM_RULES: tuple[ResourceRule, ...] = (
    ResourceRule(
        "ARM-NAME-LENGTH",
        "Resource names (including composed ones) fit Azure's length limits",
        "mandatory",
        tuple(NAME_LIMITS),
        learn("Naming rules and restrictions for Azure resources", _NAME_RULES_URL),
        _length,
    ),
    ResourceRule(
        "ARM-NAME-CHARACTERS",
        "Resource names use only the characters Azure allows",
        "mandatory",
        tuple(NAME_LIMITS),
        learn("Naming rules and restrictions for Azure resources", _NAME_RULES_URL),
        _characters,
    ),
    ResourceRule(
        "ARM-BUDGET-NOTIFICATIONS",
        "A budget has at most 5 notifications",
        "mandatory",
        (rt.BUDGET,),
        learn(
            "Budgets - Create Or Update (notifications: up to five)",
            "https://learn.microsoft.com/rest/api/consumption/budgets/create-or-update",
        ),
        _budget_notifications,
    ),
    ResourceRule(
        "ARM-REQUIRED-ON-CREATE",
        "Properties Azure requires on create are set, with allowed values (Databricks computeMode)",
        "mandatory",
        (rt.DATABRICKS,),
        learn(
            "Databricks workspaces - computeMode (required on create)",
            "https://learn.microsoft.com/azure/templates/microsoft.databricks/workspaces",
        ),
        _required_on_create,
    ),
    ResourceRule(
        "ARM-MODEL-LIFECYCLE",
        f"Model versions are not about to stop taking new deployments or retire (within "
        f"{model_catalogue.WARNING_DAYS} days)",
        "advisory",
        (rt.COGNITIVE_DEPLOYMENT,),
        learn(
            "Model retirement schedule - Microsoft Foundry",
            "https://learn.microsoft.com/azure/foundry/openai/concepts/model-retirement-schedule",
        ),
        _model_lifecycle,
    ),
)
