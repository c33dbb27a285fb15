"""Pulumi mocks that stand in for Azure and Entra ID when the program runs offline.

They return what the program reads back from real resources - ARM ids, principal ids of
identities, object ids of Entra groups and users - computed deterministically from the inputs,
so two runs of the same config give the same plan. Unknown invoke tokens fail loudly instead of
returning empty results that would silently hide a mistake.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import MockCallArgs, MockResourceArgs

__all__ = [
    "STACK_REFERENCE",
    "OfflineMocks",
    "RecordedResource",
    "RecordingMonitor",
    "UnknownStackError",
    "UnmockedInvokeError",
    "deterministic_uuid",
]

STACK_REFERENCE = "pulumi:pulumi:StackReference"
_NAMESPACE = uuid.UUID("6b0f3a5e-2f3c-4d69-9b8a-8a3c8f1f0c11")
_NAME_KEYS = ("name", "resourceName", "displayName")
_SUBNET = "azure-native:network:Subnet"
_EXISTING_NETWORK_READS = {
    "azure-native:network:getSubnet": ("resourceGroupName", "virtualNetworkName", "subnetName"),
    "azure-native:network:getVirtualNetwork": ("resourceGroupName", "virtualNetworkName"),
}


class UnmockedInvokeError(RuntimeError):
    """The program called a data source the offline plan does not know how to answer."""


class UnknownStackError(RuntimeError):
    """The program referenced a stack whose outputs the offline plan has not recorded."""


@dataclass
class RecordedResource:
    """One registered resource as the plan shows it."""

    urn: str
    type: str
    name: str
    inputs: dict[str, Any]
    custom: bool
    provider: str | None
    parent: str = ""
    id: str = ""
    protect: bool = False
    retain_on_delete: bool = False
    dependencies: list[str] = field(default_factory=list)
    ignore_changes: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    aliases: list[str] = field(default_factory=list)
    """The URNs the resource says it had before (its ``aliases`` option, as the SDK sends them)."""


def deterministic_uuid(*parts: str) -> str:
    """A stable GUID for mocked principal and object ids."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _azure_name(args: MockResourceArgs) -> str:
    inputs = args.inputs
    for key in _NAME_KEYS:
        value = inputs.get(key)
        if isinstance(value, str) and value:
            return value
    type_name = args.typ.rsplit(":", 1)[-1]
    own_key = type_name[0].lower() + type_name[1:] + "Name"
    for key in (own_key, *sorted(k for k in inputs if k.endswith("Name") and k != "resourceGroupName")):
        value = inputs.get(key)
        if isinstance(value, str) and value:
            return value
    return args.name


def _arm_id(args: MockResourceArgs, subscription: str) -> str:
    """An ARM-shaped id: readable in the plan, parseable by code that splits ids."""
    inputs = args.inputs
    _, module, type_name = args.typ.split(":", 2)
    name = _azure_name(args)
    if args.typ == "azure-native:resources:ResourceGroup":
        return f"/subscriptions/{subscription}/resourceGroups/{name}"
    scope = inputs.get("scope")
    if isinstance(scope, str) and scope.startswith("/"):
        return f"{scope}/providers/{module}/{type_name}/{name}"
    group = inputs.get("resourceGroupName")
    base = f"/subscriptions/{subscription}" + (f"/resourceGroups/{group}" if isinstance(group, str) else "")
    vnet = inputs.get("virtualNetworkName")
    if args.typ == _SUBNET and isinstance(vnet, str):
        # As in ARM, a subnet's id is its VNet's id with /subnets/<name>: a project stack composes its
        # subnets' ids that way from the VNet ids the common stack exports.
        return f"{base}/providers/network/VirtualNetwork/{vnet}/subnets/{name}"
    return f"{base}/providers/{module}/{type_name}/{name}"


class OfflineMocks(pulumi.runtime.Mocks):
    """Deterministic stand-ins for Azure Resource Manager, Microsoft Graph and the Pulumi service.

    ``stack_outputs`` holds the recorded outputs of other stacks by fully qualified name
    (``organization/aifactory/dev``): a ``StackReference`` to one of them reads those, as the
    engine reads the outputs from the referenced stack's state. ``existing_network`` answers the
    reads of brought VNets and subnets (:mod:`aifactory.offline.existing_network`).
    """

    def __init__(
        self,
        subscription_id: str,
        tenant_id: str,
        stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
        existing_network: Mapping[tuple[str, ...], Mapping[str, Any]] | None = None,
    ) -> None:
        self.subscription_id = subscription_id
        self.tenant_id = tenant_id
        self.stack_outputs = dict(stack_outputs or {})
        self.existing_network = dict(existing_network or {})
        self._provider_subscriptions: dict[str, str] = {}
        self.last = threading.local()

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.last.args = args
        if args.typ == STACK_REFERENCE:
            return self._stack_reference(args)
        outputs = dict(args.inputs)
        if args.typ.startswith("pulumi:providers:"):
            provider_id = deterministic_uuid("provider", args.name)
            subscription = outputs.get("subscriptionId")
            if isinstance(subscription, str):
                self._provider_subscriptions[provider_id] = subscription
            return provider_id, outputs
        if args.typ.startswith("azuread:"):
            return self._entra(args, outputs)
        subscription = self._subscription_of(args.provider)
        resource_id = _arm_id(args, subscription)
        outputs.setdefault("name", _azure_name(args))
        outputs["id"] = resource_id
        self._add_identity_outputs(args, outputs, resource_id)
        return resource_id, outputs

    def _stack_reference(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        name = str(args.resource_id or args.inputs.get("name") or args.name)
        if name not in self.stack_outputs and name.rpartition("/")[2] == pulumi.get_stack():
            # The stack's reference to itself (its last deployment's outputs): offline there is no
            # deployment, as before a first `pulumi up` (aifactory validate --against compares with a revision).
            return name, {"name": name, "outputs": {}, "secretOutputNames": []}
        if name not in self.stack_outputs:
            known = ", ".join(sorted(self.stack_outputs)) or "none"
            msg = (
                f"stack {name} has no recorded outputs in this offline plan (recorded: {known}); plan that stack "
                "first, and check aifactory:layout's organization and project"
            )
            raise UnknownStackError(msg)
        outputs = dict(self.stack_outputs[name])
        return name, {"name": name, "outputs": outputs, "secretOutputNames": []}

    def _subscription_of(self, provider_ref: str | None) -> str:
        if provider_ref:
            provider_id = provider_ref.rsplit("::", 1)[-1]
            return self._provider_subscriptions.get(provider_id, self.subscription_id)
        return self.subscription_id

    def _add_identity_outputs(self, args: MockResourceArgs, outputs: dict[str, Any], resource_id: str) -> None:
        if args.typ == "azure-native:managedidentity:UserAssignedIdentity":
            outputs["principalId"] = deterministic_uuid("principal", resource_id)
            outputs["clientId"] = deterministic_uuid("client", resource_id)
            outputs["tenantId"] = self.tenant_id
        identity = args.inputs.get("identity")
        if not isinstance(identity, dict):
            return
        answered = dict(identity)
        assigned = identity.get("userAssignedIdentities")
        if isinstance(assigned, list):
            # The SDK takes a list of identity ids; ARM answers a map keyed by id.
            answered["userAssignedIdentities"] = {identity_id: {} for identity_id in assigned}
        if "SystemAssigned" in str(identity.get("type", "")):
            answered["principalId"] = deterministic_uuid("principal", resource_id)
            answered["tenantId"] = self.tenant_id
        outputs["identity"] = answered

    def _entra(self, args: MockResourceArgs, outputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        object_id = deterministic_uuid("entra", args.typ, _azure_name(args), args.name)
        outputs["objectId"] = object_id
        if args.typ == "azuread:index/application:Application":
            outputs["clientId"] = deterministic_uuid("client", object_id)
        if args.typ == "azuread:index/servicePrincipal:ServicePrincipal":
            outputs.setdefault("clientId", args.inputs.get("clientId"))
        return object_id, outputs

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        token = args.token
        if token == "azuread:index/getUser:getUser":
            upn = str(args.args.get("userPrincipalName") or args.args.get("objectId") or "")
            object_id = args.args.get("objectId") or deterministic_uuid("user", upn.lower())
            return {"objectId": object_id, "userPrincipalName": upn, "id": object_id}, []
        if token == "azure-native:authorization:getClientConfig":
            return {
                "clientId": deterministic_uuid("deployer"),
                "objectId": deterministic_uuid("deployer-object"),
                "subscriptionId": self.subscription_id,
                "tenantId": self.tenant_id,
            }, []
        if token == "azuread:index/getClientConfig:getClientConfig":
            return {
                "clientId": deterministic_uuid("deployer"),
                "objectId": deterministic_uuid("deployer-object"),
                "tenantId": self.tenant_id,
            }, []
        if token in _EXISTING_NETWORK_READS:
            return self._existing_network(token, args.args), []
        if token == "azure-native:resources:getResource":
            return self._generic_resource(args.args), []
        msg = (
            f"the offline plan has no answer for data source {token!r}; add it to "
            "aifactory.offline.mocks.OfflineMocks.call"
        )
        raise UnmockedInvokeError(msg)

    def _existing_network(self, token: str, args: Mapping[str, Any]) -> dict[str, Any]:
        parts = [str(args.get(name) or "") for name in _EXISTING_NETWORK_READS[token]]
        key = ("subnet" if token.endswith("getSubnet") else "vnet", *(part.lower() for part in parts))
        answer = self.existing_network.get(key)
        if answer is None:
            msg = f"the offline plan knows no existing {'/'.join(parts)} (aifactory:network.existing)"
            raise UnmockedInvokeError(msg)
        return dict(answer)

    def _generic_resource(self, args: dict[str, Any]) -> dict[str, Any]:
        """A resource read back by path; what the program reads of it is answered deterministically.

        Read today: a Foundry project's ``internalId`` (its workspace id, 32 hex digits), which the
        agents' conditioned role assignments key on.
        """
        path = "/".join(
            str(args.get(key) or "")
            for key in ("resourceGroupName", "resourceProviderNamespace", "parentResourcePath", "resourceType")
        )
        name = str(args.get("resourceName") or "")
        resource_id = (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{args.get('resourceGroupName')}/providers/"
            f"{args.get('resourceProviderNamespace')}/{args.get('parentResourcePath')}/{args.get('resourceType')}/{name}"
        )
        properties: dict[str, Any] = {}
        if (
            args.get("resourceProviderNamespace") == "Microsoft.CognitiveServices"
            and args.get("resourceType") == "projects"
        ):
            properties["internalId"] = uuid.UUID(deterministic_uuid("workspace", path, name)).hex
        return {"id": resource_id, "name": name, "type": args.get("resourceType"), "properties": properties}


class RecordingMonitor(pulumi.runtime.mocks.MockMonitor):
    """A mock monitor that also keeps each resource's options (parent, protect, dependencies)."""

    def __init__(self, mocks: OfflineMocks, on_register: Callable[[int], None] | None = None) -> None:
        super().__init__(mocks)
        self.offline = mocks
        self.recorded: dict[str, RecordedResource] = {}
        self._lock = threading.Lock()
        self._on_register = on_register

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The URN the engine gives: the parent's qualified type chain, without the root stack, then the type.

        The SDK's mock monitor prefixes only the parent's last type, so offline URNs of resources three or
        more levels deep would differ from the ones ``pulumi preview`` shows and ``pulumi state`` commands
        take (``urn:pulumi:<stack>::<project>::<parent chain>$<type>::<name>``).
        """
        qualified = type_
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != "pulumi:pulumi:Stack":
                qualified = f"{parent_type}${type_}"
        return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{qualified}::{name}"

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type == "pulumi:pulumi:Stack":
            return response
        args: MockResourceArgs = self.offline.last.args
        self._record(
            RecordedResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                inputs=args.inputs,
                custom=bool(request.custom),
                provider=request.provider or None,
                parent=request.parent,
                id=response.id,
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                dependencies=sorted(set(request.dependencies)),
                ignore_changes=list(request.ignoreChanges),
                delete_before_replace=bool(request.deleteBeforeReplace),
                aliases=self._alias_urns(request),
            ),
            str(response.urn),
        )
        return response

    def _alias_urns(self, request: Any) -> list[str]:
        """The aliases of a registration as URNs: the SDK sends URNs, or specs when the monitor supports them.

        A spec is collapsed as the engine does it (name, type and parent default to the resource's own);
        what the engine adds on top - aliases inherited from an aliased parent - is not derived here.
        """
        urns = list(request.aliasURNs)
        for alias in request.aliases:
            if alias.WhichOneof("alias") == "urn":
                urns.append(alias.urn)
                continue
            spec = alias.spec
            parent = "" if spec.noParent else (spec.parentUrn or request.parent)
            urn = self.make_urn(parent, spec.type or request.type, spec.name or request.name)
            stack, project, rest = urn.removeprefix("urn:pulumi:").split("::", 2)
            urns.append(f"urn:pulumi:{spec.stack or stack}::{spec.project or project}::{rest}")
        return urns

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        """Reads (a ``StackReference``) are resources of the stack too: record them like registrations."""
        response = super().ReadResource(request)  # type: ignore[no-untyped-call]
        args: MockResourceArgs = self.offline.last.args
        self._record(
            RecordedResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                inputs={k: v for k, v in args.inputs.items() if v is not None},
                custom=True,
                provider=request.provider or None,
                parent=request.parent,
                id=str(request.id),
                dependencies=sorted(set(request.dependencies)),
            ),
            str(response.urn),
        )
        return response

    def _record(self, record: RecordedResource, urn: str) -> None:
        with self._lock:
            if urn in self.recorded:
                msg = f"two resources share the URN {urn}; the Pulumi engine would refuse this program"
                raise RuntimeError(msg)
            self.recorded[urn] = record
            count = len(self.recorded)
        if self._on_register is not None:
            self._on_register(count)
