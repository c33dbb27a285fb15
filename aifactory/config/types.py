"""Azure domain types, written once and reused by every config model.

Each type is an ``Annotated`` string (or int) whose validator raises :class:`~aifactory.errors.Invalid`
with a message and a fix, so the loader can report it in the user's terms.
"""

from __future__ import annotations

import difflib
import re
import uuid
from typing import Annotated, Literal

import netaddr
from pydantic import AfterValidator, BeforeValidator

from aifactory.catalog.regions import REGION_CODES
from aifactory.errors import Invalid

__all__ = [
    "ENVIRONMENTS",
    "AzureRegion",
    "Cidr",
    "EmailAddress",
    "EnvironmentName",
    "Guid",
    "ObjectId",
    "PublicIpRange",
    "ResourceId",
    "Slug",
    "cidr_value",
]

EnvironmentName = Literal["dev", "stage", "prod"]
ENVIRONMENTS: tuple[EnvironmentName, ...] = ("dev", "stage", "prod")

_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_RESOURCE_ID = re.compile(
    r"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/[A-Za-z.]+/[A-Za-z]+/[^/]+(/.+)?$"
)


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise Invalid(
            "must be lowercase letters, digits and single hyphens, starting with a letter",
            "use a slug such as 'fraud-detection'",
        )
    if not 3 <= len(value) <= 40:
        raise Invalid(f"must be 3 to 40 characters long (got {len(value)})", "shorten or lengthen the slug")
    return value


def _object_id(value: str) -> str:
    try:
        parsed = uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise Invalid(
            "is not an Entra object id (a GUID)",
            "copy the object id from Entra ID, e.g. '1b2c3d4e-0000-4000-8000-1234567890ab'",
        ) from None
    return str(parsed)


def _guid(value: str) -> str:
    try:
        parsed = uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise Invalid(
            "is not a GUID",
            "use the id in its GUID form, e.g. '6f1d2c3b-0000-4000-8000-00000000d001' (az account show)",
        ) from None
    return str(parsed)


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise Invalid("is not an e-mail address", "use an address such as 'lead@contoso.com'")
    return value.lower()


def _region(value: str) -> str:
    normalised = value.replace(" ", "").lower()
    if normalised not in REGION_CODES:
        close = difflib.get_close_matches(normalised, REGION_CODES, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use a region name such as 'swedencentral'"
        raise Invalid("is not a known Azure region", hint)
    return normalised


def _cidr(value: str) -> str:
    try:
        network = netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise Invalid("is not an IPv4 CIDR range", "write it as address/prefix, e.g. '10.20.0.0/16'") from None
    if network.version != 4:
        raise Invalid("is not an IPv4 range", "use an IPv4 CIDR such as '10.20.0.0/16'")
    if "/" not in str(value):
        raise Invalid("has no prefix length", f"write it as '{network.ip}/32' or the intended range")
    if network.ip != network.network:
        raise Invalid(
            "has host bits set",
            f"use the network address '{network.cidr}' (or another correctly aligned range)",
        )
    return str(network.cidr)


def _public_ip_range(value: str) -> str:
    text = value if "/" in value else f"{value}/32"
    cidr = _cidr(text)
    network = netaddr.IPNetwork(cidr)
    if not (network.network.is_global() and netaddr.IPAddress(network.last).is_global()):
        raise Invalid(
            "is not a public IP range; Azure firewalls accept only public client addresses",
            "list the public egress address of the office or VPN; private ranges reach services "
            "through the private endpoints already",
        )
    if network.prefixlen < 16:
        raise Invalid("is wider than /16", "list the specific egress ranges (/16 or narrower)")
    return cidr


def _resource_id(value: str) -> str:
    if not _RESOURCE_ID.match(value):
        raise Invalid(
            "is not an Azure resource id",
            "use '/subscriptions/<guid>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>'",
        )
    return value


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def cidr_value(value: str) -> netaddr.IPNetwork:
    """Parse a validated :data:`Cidr` string into a netaddr network."""
    return netaddr.IPNetwork(value)


Slug = Annotated[str, BeforeValidator(_strip), AfterValidator(_slug)]
ObjectId = Annotated[str, BeforeValidator(_strip), AfterValidator(_object_id)]
Guid = Annotated[str, BeforeValidator(_strip), AfterValidator(_guid)]
EmailAddress = Annotated[str, BeforeValidator(_strip), AfterValidator(_email)]
AzureRegion = Annotated[str, BeforeValidator(_strip), AfterValidator(_region)]
Cidr = Annotated[str, BeforeValidator(_strip), AfterValidator(_cidr)]
PublicIpRange = Annotated[str, BeforeValidator(_strip), AfterValidator(_public_ip_range)]
ResourceId = Annotated[str, BeforeValidator(_strip), AfterValidator(_resource_id)]
