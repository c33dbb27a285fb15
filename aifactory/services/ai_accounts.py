"""Standalone Azure AI accounts: Azure OpenAI, Content Safety, Document Intelligence, Speech and Vision.

Each is a ``Microsoft.CognitiveServices/accounts`` resource of its own ``kind`` (``OpenAI``,
``ContentSafety``, ``FormRecognizer``, ``SpeechServices``, ``ComputerVision``), and all five are
built one way, from one :class:`AccountKind` each (the facts that differ: kind, SKU, naming kind,
settings, role sets):

- **keyless**: local (key) authentication off (``disableLocalAuth``); Entra ID tokens need the
  account's custom subdomain, which is its globally unique name;
- **private**: public network access off and ACLs deny (``network.allow_ips`` opens the firewall
  to those ranges, as for the Foundry account), one private endpoint ``account`` with the
  Cognitive Services, OpenAI and AI Services zones (Microsoft's private-endpoint DNS table for
  ``Microsoft.CognitiveServices/accounts``: an OpenAI account answers on ``*.openai.azure.com``,
  the others on ``*.cognitiveservices.azure.com``);
- **outbound restricted** (``restrictOutboundNetworkAccess``, the ALZ OpenAI guardrail) to the
  project's own storage (batch transcription, batch document analysis and OpenAI batch or
  fine-tuning files read it with the account's identity);
- running as the project's user-assigned identity; diagnostics (every log category group and the
  metrics) to the environment's workspace; protected in stage and prod (custom models, fine-tunes
  and the subdomain, which Azure keeps reserved for a soft-deleted account, live with it).

Both project types may switch them on (document, speech and vision extraction serve classic ML
feature pipelines as much as GenAI apps); none is on by default. Roles follow each service's
documented keyless data roles: Cognitive Services OpenAI User / Contributor for OpenAI, Cognitive
Services Speech User / Contributor for Speech (Speech's data plane ignores the generic roles'
names: Microsoft's Speech RBAC page), Cognitive Services User for the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.catalog.naming_rules import ResourceKind
from aifactory.catalog.personas import ProjectPersona
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.ai_foundry import (
    ACCOUNT_GUARDRAILS,
    MODEL_GUARDRAILS,
    ModelDeployment,
    cognitive_services_access,
    deploy_models,
    refuse_repeated_deployments,
)
from aifactory.services.model import Built, PrivateEndpoints, ProjectUse, ServiceDeclaration, resolved
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    import pulumi
    from pulumi_azure_native import cognitiveservices

    from aifactory.services.context import ServiceContext
    from aifactory.services.registry import ServiceName

__all__ = [
    "AI_ACCOUNTS",
    "CONTENT_SAFETY",
    "CONTENT_SAFETY_KIND",
    "DEFENDER_FOR_AI_API_VERSION",
    "DOCUMENT_INTELLIGENCE",
    "DOCUMENT_INTELLIGENCE_KIND",
    "OPENAI",
    "OPENAI_KIND",
    "SPEECH",
    "SPEECH_KIND",
    "VISION",
    "VISION_KIND",
    "AccountKind",
    "AiAccount",
    "ContentSafety",
    "DocumentIntelligence",
    "OpenAi",
    "Speech",
    "Vision",
    "defender_for_ai",
]

DEFENDER_FOR_AI_API_VERSION = "2025-06-01"
"""``Microsoft.CognitiveServices/accounts/defenderForAISettings``: the provider has no typed resource for it."""


class OpenAi(ServiceSettings):
    """A standalone Azure OpenAI account (kind OpenAI, S0), keyless and private."""

    models: list[ModelDeployment] = Field(
        default_factory=list,
        description="Optional. Model deployments on the account, created one after another. Default: none.",
    )

    @model_validator(mode="after")
    def _unique_deployments(self) -> OpenAi:
        refuse_repeated_deployments(self.models)
        return self


class ContentSafety(ServiceSettings):
    """A standalone Azure AI Content Safety account (kind ContentSafety, S0), keyless and private."""


class DocumentIntelligence(ServiceSettings):
    """A standalone Azure AI Document Intelligence account (kind FormRecognizer, S0), keyless and private."""


class Speech(ServiceSettings):
    """A standalone Azure AI Speech account (kind SpeechServices, S0), keyless and private."""


class Vision(ServiceSettings):
    """A standalone Azure AI Vision account (kind ComputerVision, S1), keyless and private."""


AccountSettings = OpenAi | ContentSafety | DocumentIntelligence | Speech | Vision


@dataclass(frozen=True, kw_only=True)
class AiAccount(Built["cognitiveservices.Account"]):
    """The account (``resource``), its model deployments (OpenAI only) and its Defender for AI setting."""

    deployments: tuple[cognitiveservices.Deployment, ...] = ()
    defender: pulumi.CustomResource | None = None


@dataclass(frozen=True)
class AccountKind:
    """What sets one standalone AI account apart from the others (see the module docstring)."""

    name: ServiceName
    kind: Literal["OpenAI", "ContentSafety", "FormRecognizer", "SpeechServices", "ComputerVision"]
    sku: Literal["S0", "S1"]
    title: str
    label: str
    summary: str
    naming_kind: ResourceKind
    logical_stem: str
    settings: type[AccountSettings]
    personas: Mapping[ProjectPersona, tuple[RoleSet, ...]]
    identity: tuple[RoleSet, ...]
    deployment: tuple[RoleSet, ...]
    scaffold: Mapping[Literal["basic", "full"], Mapping[str, object]] = field(default_factory=dict)


def defender_for_ai(ctx: ServiceContext, account: cognitiveservices.Account) -> pulumi.CustomResource | None:
    """The account's Defender for AI setting, when the stack turns Defender for AI on per account.

    A child of the account (``defenderForAISettings/Default``, state Enabled), as a generic resource
    because azure-native has no typed one; Microsoft.CognitiveServices only updates it in place.
    """
    if not ctx.stack.defender.ai_accounts:
        return None
    import pulumi
    from pulumi_azure_native import resources

    return resources.Resource(
        f"{ctx.service.logical_name}-defender-for-ai",
        resource_provider_namespace="Microsoft.CognitiveServices",
        parent_resource_path=account.name.apply(lambda name: f"accounts/{name}"),
        resource_type="defenderForAISettings",
        resource_name_="Default",
        resource_group_name=ctx.resource_group_name,
        api_version=DEFENDER_FOR_AI_API_VERSION,
        properties={"state": "Enabled"},
        opts=pulumi.ResourceOptions(parent=account),
    )


def _builder(spec: AccountKind) -> Any:
    def build(ctx: ServiceContext, given: AccountSettings | None) -> AiAccount:
        from pulumi_azure_native import cognitiveservices

        from aifactory.plan.trusted_access import ai_outbound_fqdns

        settings = resolved(given, spec.name)
        project = ctx.require_project()
        name = ctx.service.azure_name
        storage = project.plan.service("storage").azure_name
        account = cognitiveservices.Account(
            ctx.service.logical_name,
            account_name=name,
            resource_group_name=ctx.resource_group_name,
            location=ctx.location,
            kind=spec.kind,
            sku=cognitiveservices.SkuArgs(name=spec.sku),
            identity=cognitiveservices.IdentityArgs(
                type=cognitiveservices.ResourceIdentityType.USER_ASSIGNED,
                user_assigned_identities=[project.identity.identity_id],
            ),
            properties=cognitiveservices.AccountPropertiesArgs(
                custom_sub_domain_name=name,
                disable_local_auth=True,
                restrict_outbound_network_access=True,
                allowed_fqdn_list=list(ai_outbound_fqdns((("storage", storage),))),
                **ctx.access_args(),
            ),
            tags=dict(ctx.tags),
            opts=ctx.options(),
        )
        models = settings.models if isinstance(settings, OpenAi) else []
        return AiAccount(
            resource=account,
            deployments=deploy_models(ctx, account, models),
            defender=defender_for_ai(ctx, account),
        )

    return build


def _declaration(spec: AccountKind) -> ServiceDeclaration[Any, AiAccount]:
    return ServiceDeclaration(
        name=spec.name,
        title=spec.title,
        label=spec.label,
        summary=spec.summary,
        naming_kind=spec.naming_kind,
        logical_stem=spec.logical_stem,
        settings=spec.settings,
        projects=ProjectUse(types=("esml", "genai")),
        common=None,
        endpoints=PrivateEndpoints("ai_services", ("account",)),
        diagnostics=ALL_LOGS_AND_METRICS,
        lifecycle="protect",
        ip_firewall=cognitive_services_access,
        roles=ServiceRoles(personas=spec.personas, identity=spec.identity, deployment=spec.deployment),
        build=_builder(spec),
        scaffold=spec.scaffold,
        guardrails=(*ACCOUNT_GUARDRAILS, *(MODEL_GUARDRAILS if spec.settings is OpenAi else ())),
    )


def _cognitive(service: str, scope: str, why: str) -> RoleSet:
    return RoleSet(f"{why} on the project's {service} account with Entra ID", {scope: ("Cognitive Services User",)})


BUILD_WITH_OPENAI = RoleSet(
    "deploy, fine-tune and call models on the project's Azure OpenAI account with Entra ID",
    {"openai": ("Cognitive Services OpenAI Contributor",)},
)
CALL_OPENAI = RoleSet(
    "call the project's Azure OpenAI deployments with Entra ID (keys are off)",
    {"openai": ("Cognitive Services OpenAI User",)},
)
MODERATE_CONTENT = _cognitive("Content Safety", "content_safety", "analyse text and images for harmful content")
ANALYSE_DOCUMENTS = _cognitive(
    "Document Intelligence", "document_intelligence", "analyse documents and build custom extraction models"
)
BUILD_SPEECH = RoleSet(
    "transcribe and synthesise speech and build custom speech and voice models with Entra ID",
    {"speech": ("Cognitive Services Speech Contributor",)},
)
USE_SPEECH = RoleSet(
    "call the project's speech-to-text and text-to-speech APIs with Entra ID",
    {"speech": ("Cognitive Services Speech User",)},
)
ANALYSE_IMAGES = _cognitive("Vision", "vision", "analyse images and video")

_BUILDERS: tuple[ProjectPersona, ...] = ("team-lead", "data-scientist", "ml-engineer", "ai-developer")


def _for(builders: tuple[RoleSet, ...], users: tuple[RoleSet, ...]) -> dict[ProjectPersona, tuple[RoleSet, ...]]:
    """Builders (lead, scientists, engineers, AI developers) get ``builders``; app developers ``users``."""
    return {**dict.fromkeys(_BUILDERS, builders), "app-developer": users}


OPENAI_KIND = AccountKind(
    name="openai",
    kind="OpenAI",
    sku="S0",
    title="Azure OpenAI account (standalone)",
    label="Azure OpenAI",
    summary="A keyless, private Azure OpenAI account with the project's own model deployments, next to (or "
    "instead of) the Foundry account.",
    naming_kind="openai_account",
    logical_stem="oai",
    settings=OpenAi,
    personas=_for((BUILD_WITH_OPENAI,), (CALL_OPENAI,)),
    identity=(CALL_OPENAI,),
    deployment=(CALL_OPENAI,),
    scaffold={"full": {}},
)
CONTENT_SAFETY_KIND = AccountKind(
    name="content_safety",
    kind="ContentSafety",
    sku="S0",
    title="Azure AI Content Safety account",
    label="Content Safety",
    summary="A keyless, private Azure AI Content Safety account: moderation of prompts, completions and uploads.",
    naming_kind="content_safety_account",
    logical_stem="cs",
    settings=ContentSafety,
    personas=_for((MODERATE_CONTENT,), (MODERATE_CONTENT,)),
    identity=(MODERATE_CONTENT,),
    deployment=(MODERATE_CONTENT,),
)
DOCUMENT_INTELLIGENCE_KIND = AccountKind(
    name="document_intelligence",
    kind="FormRecognizer",
    sku="S0",
    title="Azure AI Document Intelligence account",
    label="Document Intelligence",
    summary="A keyless, private Azure AI Document Intelligence account: layout, prebuilt and custom extraction.",
    naming_kind="document_intelligence_account",
    logical_stem="di",
    settings=DocumentIntelligence,
    personas={**_for((ANALYSE_DOCUMENTS,), (ANALYSE_DOCUMENTS,)), "data-engineer": (ANALYSE_DOCUMENTS,)},
    identity=(ANALYSE_DOCUMENTS,),
    deployment=(ANALYSE_DOCUMENTS,),
)
SPEECH_KIND = AccountKind(
    name="speech",
    kind="SpeechServices",
    sku="S0",
    title="Azure AI Speech account",
    label="Speech",
    summary="A keyless, private Azure AI Speech account: speech to text, text to speech, custom speech.",
    naming_kind="speech_account",
    logical_stem="spch",
    settings=Speech,
    personas=_for((BUILD_SPEECH,), (USE_SPEECH,)),
    identity=(USE_SPEECH,),
    deployment=(USE_SPEECH,),
)
VISION_KIND = AccountKind(
    name="vision",
    kind="ComputerVision",
    sku="S1",
    title="Azure AI Vision account",
    label="Vision",
    summary="A keyless, private Azure AI Vision account: image analysis, OCR and multimodal embeddings.",
    naming_kind="vision_account",
    logical_stem="cv",
    settings=Vision,
    personas=_for((ANALYSE_IMAGES,), (ANALYSE_IMAGES,)),
    identity=(ANALYSE_IMAGES,),
    deployment=(ANALYSE_IMAGES,),
)

OPENAI: ServiceDeclaration[OpenAi, AiAccount] = _declaration(OPENAI_KIND)
CONTENT_SAFETY: ServiceDeclaration[ContentSafety, AiAccount] = _declaration(CONTENT_SAFETY_KIND)
DOCUMENT_INTELLIGENCE: ServiceDeclaration[DocumentIntelligence, AiAccount] = _declaration(DOCUMENT_INTELLIGENCE_KIND)
SPEECH: ServiceDeclaration[Speech, AiAccount] = _declaration(SPEECH_KIND)
VISION: ServiceDeclaration[Vision, AiAccount] = _declaration(VISION_KIND)

AI_ACCOUNTS: tuple[ServiceDeclaration[Any, AiAccount], ...] = (
    OPENAI,
    CONTENT_SAFETY,
    DOCUMENT_INTELLIGENCE,
    SPEECH,
    VISION,
)
"""The five declarations, in registry order (each is its own service with its own ``services:`` key)."""
