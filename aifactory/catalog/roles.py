"""Built-in Azure role definitions the factory assigns, by name, with their fixed GUIDs.

One place for every role id (never a GUID literal anywhere else). Every id below was checked
against Microsoft's "Azure built-in roles" reference (generated 2026-04, learn.microsoft.com/azure/
role-based-access-control/built-in-roles); names are the current ones, and :func:`role` still
accepts names Azure has since changed (the Azure AI roles became Foundry roles, same ids).

``PRIVILEGED`` lists the roles that can grant access or take ownership; the RBAC planner never
gives them to project members (the team lead's Role Based Access Control Administrator carries a
condition that forbids assigning any of them).

Cosmos DB for NoSQL data access is not an Azure role at all: it has its own role definitions
under the account (``sqlRoleDefinitions``) and its own assignments, which do not count toward the
subscription's role assignment limit. They are :class:`DataPlaneRole` s in ``COSMOS_DATA_ROLES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["COSMOS_DATA_ROLES", "PRIVILEGED", "ROLES", "BuiltInRole", "DataPlaneRole", "cosmos_role", "role"]


@dataclass(frozen=True, order=True)
class BuiltInRole:
    """A built-in role definition."""

    name: str
    id: str

    def definition_id(self, subscription_id: str) -> str:
        """The role definition's resource id as role assignments expect it."""
        return f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{self.id}"


@dataclass(frozen=True, order=True)
class DataPlaneRole:
    """A built-in Cosmos DB for NoSQL data-plane role, defined inside each account."""

    name: str
    id: str

    def definition_id(self, account_id: str) -> str:
        """The role definition's id inside the account, as ``sqlRoleAssignments`` expect it."""
        return f"{account_id}/sqlRoleDefinitions/{self.id}"


ROLES: MappingProxyType[str, BuiltInRole] = MappingProxyType(
    {
        r.name: r
        for r in (
            # Privileged and general
            BuiltInRole("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
            BuiltInRole("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
            BuiltInRole("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
            BuiltInRole("User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"),
            BuiltInRole("Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"),
            # Storage
            BuiltInRole("Storage Account Contributor", "17d1049b-9a84-46fb-8f53-869881c3d3ab"),
            BuiltInRole("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"),
            BuiltInRole("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
            BuiltInRole("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),
            BuiltInRole("Storage File Data Privileged Contributor", "69566ab7-960f-475b-8e7c-b3118f30c6bd"),
            BuiltInRole("Storage File Data Privileged Reader", "b8eda974-7b85-4f76-af95-65846b26df6d"),
            BuiltInRole("Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88"),
            BuiltInRole("Storage Queue Data Reader", "19e7f393-937e-4f77-808e-94535e297925"),
            BuiltInRole("Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"),
            BuiltInRole("Storage Table Data Reader", "76199698-9eea-4c19-bc75-cec21354c6b6"),
            # Key Vault (RBAC permission model)
            BuiltInRole("Key Vault Administrator", "00482a5a-887f-4fb3-b363-3b7fe8e74483"),
            BuiltInRole("Key Vault Contributor", "f25e0fa2-a7c8-4377-a976-54943a77a395"),
            BuiltInRole("Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"),
            BuiltInRole("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6"),
            BuiltInRole("Key Vault Certificate User", "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba"),
            BuiltInRole("Key Vault Crypto User", "12338af0-0e69-4776-bea7-57ae8d297424"),
            BuiltInRole("Key Vault Reader", "21090545-7ca7-4776-b22c-e363652d74d2"),
            # Containers
            BuiltInRole("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d"),
            BuiltInRole("AcrPush", "8311e382-0749-4cb8-b61a-304f252e45ec"),
            BuiltInRole("Container Registry Repository Reader", "b93aa761-3e63-49ed-ac28-beffa264f7ac"),
            BuiltInRole("Container Registry Repository Writer", "2a1e307c-b015-4ebd-883e-5b7698a07328"),
            BuiltInRole("Azure Kubernetes Service Cluster User Role", "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"),
            BuiltInRole("Azure Kubernetes Service RBAC Admin", "3498e952-d568-435e-9b2c-8d77e338d7f7"),
            BuiltInRole("Azure Kubernetes Service RBAC Writer", "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb"),
            BuiltInRole("Azure Kubernetes Service RBAC Reader", "7f6c6a51-bcf8-42ba-9220-52d62157d7db"),
            BuiltInRole("Container Apps Contributor", "358470bc-b998-42bd-ab17-a7e34c199c0f"),
            BuiltInRole("Container Apps Operator", "f3bd1b5c-91fa-40e7-afe7-0c11d331232c"),
            # AI + machine learning (the Azure AI roles were renamed Foundry roles; ids unchanged)
            BuiltInRole("AzureML Data Scientist", "f6c7c914-8db3-469d-8ca1-694a8f32e121"),
            BuiltInRole("AzureML Compute Operator", "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815"),
            BuiltInRole("AzureML Registry User", "1823dd4f-9b8c-4ab6-ab4e-7397a3684615"),
            BuiltInRole("AzureML Metrics Writer (preview)", "635dd51f-9968-44d3-b7fb-6d9a6bd613ae"),
            BuiltInRole("Azure AI Developer", "64702f94-c441-49e6-a78b-ef80e0188fee"),
            BuiltInRole("Azure AI Inference Deployment Operator", "3afb7f49-54cb-416e-8c09-6dc049efa503"),
            BuiltInRole("Foundry User", "53ca6127-db72-4b80-b1b0-d745d6d5456d"),
            BuiltInRole("Foundry Project Manager", "eadc314b-1a2d-4efa-be10-5d325db5065e"),
            BuiltInRole("Foundry Account Owner", "e47c6f54-e4a2-4754-9501-8e0985b135e1"),
            BuiltInRole("Foundry Owner", "c883944f-8b7b-4483-af10-35834be79c4a"),
            BuiltInRole("Cognitive Services OpenAI User", "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"),
            BuiltInRole("Cognitive Services OpenAI Contributor", "a001fd3d-188f-4b5d-821b-7da978bf7442"),
            BuiltInRole("Cognitive Services User", "a97b65f3-24c7-4388-baec-2e87135dc908"),
            BuiltInRole("Cognitive Services Speech Contributor", "0e75ca1e-0464-4b4d-8b93-68208a576181"),
            BuiltInRole("Cognitive Services Speech User", "f2dc8367-1007-4938-bd23-fe263f013447"),
            BuiltInRole("Search Index Data Contributor", "8ebe5a00-799e-43f5-93ac-243d3dce84a7"),
            BuiltInRole("Search Index Data Reader", "1407120a-92aa-4202-b7e9-c0e197c71c8f"),
            BuiltInRole("Search Service Contributor", "7ca78c08-252a-4471-8644-bb5ff32d4ba0"),
            # Analytics and databases
            BuiltInRole("Data Factory Contributor", "673868aa-7521-48a0-acc6-0f60742d39f5"),
            BuiltInRole("Azure Event Hubs Data Owner", "f526a384-b230-433a-b45c-95f59c4a2dec"),
            BuiltInRole("Azure Event Hubs Data Sender", "2b629674-e913-4c01-ae53-ef4638d8f975"),
            BuiltInRole("Azure Event Hubs Data Receiver", "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"),
            BuiltInRole("Cosmos DB Account Reader Role", "fbdf93bf-df7d-467e-a4d2-9458aa1360c8"),
            BuiltInRole("Cosmos DB Operator", "230815da-be43-4aae-9cb4-875f7bd000aa"),
            BuiltInRole("SQL DB Contributor", "9b7fa17d-e63e-47b0-bb0a-15c516ac86ec"),
            # Web, networking, identity, monitoring, cost
            BuiltInRole("Website Contributor", "de139f84-1756-47ae-9be6-808fbbe84772"),
            BuiltInRole("Network Contributor", "4d97b98b-1d4f-4787-a291-c67834d212e7"),
            BuiltInRole("Private DNS Zone Contributor", "b12aa53e-6015-4669-85d0-8515ebb3ae7f"),
            BuiltInRole("Managed Identity Operator", "f1a07417-d97a-45cb-824c-7a7467783830"),
            BuiltInRole("Monitoring Reader", "43d0d8ad-25c7-4714-9337-8ba259a9fe05"),
            BuiltInRole("Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb"),
            BuiltInRole("Log Analytics Reader", "73c42c96-874c-492b-b04d-ab87d138a893"),
            BuiltInRole("Virtual Machine Administrator Login", "1c0163c0-47e6-4577-8991-ea5c82e286e4"),
            BuiltInRole("Virtual Machine User Login", "fb879df8-f326-4884-b1cf-06f3ad86be52"),
            BuiltInRole("Cost Management Reader", "72fafb9e-0641-4937-9268-a91bfd8191a3"),
        )
    }
)

PRIVILEGED: frozenset[str] = frozenset(
    {"Owner", "User Access Administrator", "Role Based Access Control Administrator"}
)

COSMOS_DATA_ROLES: MappingProxyType[str, DataPlaneRole] = MappingProxyType(
    {
        r.name: r
        for r in (
            DataPlaneRole("Cosmos DB Built-in Data Reader", "00000000-0000-0000-0000-000000000001"),
            DataPlaneRole("Cosmos DB Built-in Data Contributor", "00000000-0000-0000-0000-000000000002"),
        )
    }
)

_RENAMED = MappingProxyType(
    {
        "Azure AI User": "Foundry User",
        "Azure AI Project Manager": "Foundry Project Manager",
        "Azure AI Account Owner": "Foundry Account Owner",
        "Azure AI Owner": "Foundry Owner",
        "Role Based Access Control Administrator (Preview)": "Role Based Access Control Administrator",
    }
)


def role(name: str) -> BuiltInRole:
    """The built-in role called ``name`` (current or former name); a ``KeyError`` otherwise."""
    try:
        return ROLES[_RENAMED.get(name, name)]
    except KeyError:
        msg = f"unknown built-in role {name!r}; add it to aifactory.catalog.roles"
        raise KeyError(msg) from None


def cosmos_role(name: str) -> DataPlaneRole:
    """The Cosmos DB data-plane role called ``name``; a ``KeyError`` otherwise."""
    try:
        return COSMOS_DATA_ROLES[name]
    except KeyError:
        msg = f"unknown Cosmos DB data-plane role {name!r}; add it to aifactory.catalog.roles"
        raise KeyError(msg) from None
