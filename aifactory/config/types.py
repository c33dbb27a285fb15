"""Azure domain types, written once and reused by every config model.

Each type is an ``Annotated`` string (or int) whose validator raises :class:`~aifactory.errors.Invalid`
with a message and a fix, so the loader can report it in the user's terms.
"""

from __future__ import annotations

import bisect
import difflib
import re
import uuid
from collections.abc import Hashable, Sequence
from typing import Annotated, Literal, TypeVar

import netaddr
from pydantic import AfterValidator, BeforeValidator

from aifactory.catalog.regions import REGION_CODES
from aifactory.errors import Invalid

__all__ = [
    "ENVIRONMENTS",
    "NIL_GUID",
    "PRIVATE_RANGES",
    "AzureRegion",
    "Cidr",
    "EmailAddress",
    "EnvironmentName",
    "Guid",
    "ObjectId",
    "PrivateCidr",
    "PublicIpRange",
    "ResourceId",
    "Slug",
    "cidr_value",
    "first_overlap",
    "is_private",
    "no_duplicates",
    "overlap_within",
]

EnvironmentName = Literal["dev", "stage", "prod"]
ENVIRONMENTS: tuple[EnvironmentName, ...] = ("dev", "stage", "prod")

NIL_GUID = "00000000-0000-0000-0000-000000000000"
PRIVATE_RANGES = tuple(netaddr.IPNetwork(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))
"""RFC 1918 private and RFC 6598 shared address space: the ranges a private network uses."""

_REAL_ID = "use the real id (az account show)"
_MAX_EMAIL = 254  # RFC 5321: a forward path holds at most 256 octets including the angle brackets
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
        parsed = str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise Invalid(
            "is not an Entra object id (a GUID)",
            "copy the object id from Entra ID, e.g. '1b2c3d4e-0000-4000-8000-1234567890ab'",
        ) from None
    if parsed == NIL_GUID:
        raise Invalid("is the nil GUID, which is no Entra object", "copy the real object id from Entra ID")
    return parsed


def _guid(value: str) -> str:
    try:
        parsed = str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise Invalid(
            "is not a GUID",
            "use the id in its GUID form, e.g. '6f1d2c3b-0000-4000-8000-00000000d001' (az account show)",
        ) from None
    if parsed == NIL_GUID:
        raise Invalid("is the nil GUID, a placeholder that no subscription or tenant has", _REAL_ID)
    return parsed


def _email(value: str) -> str:
    if len(value) > _MAX_EMAIL:
        raise Invalid(f"is longer than {_MAX_EMAIL} characters, the limit of an e-mail address", "use a real address")
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


def is_private(network: netaddr.IPNetwork) -> bool:
    """Whether the whole range lies in one of :data:`PRIVATE_RANGES`."""
    return any(network in private for private in PRIVATE_RANGES)


def _private_cidr(value: str) -> str:
    cidr = _cidr(value)
    if not is_private(netaddr.IPNetwork(cidr)):
        raise Invalid(
            "is not a private range; a public range would make the factory's own addresses routable from, and "
            "colliding with, the internet",
            "use a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10",
        )
    return cidr


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


_Labelled = TypeVar("_Labelled")
_Hashable = TypeVar("_Hashable", bound=Hashable)


def first_overlap(
    ranges: Sequence[tuple[_Labelled, netaddr.IPNetwork]], others: Sequence[tuple[_Labelled, netaddr.IPNetwork]]
) -> tuple[tuple[_Labelled, netaddr.IPNetwork], tuple[_Labelled, netaddr.IPNetwork]] | None:
    """The first range of ``ranges`` that overlaps one of ``others``, with that one; ``None`` if none do.

    Sorts ``others`` once and binary-searches each range: O((n + m) log m), so thousands of
    ranges cost milliseconds where comparing every pair would cost minutes.
    """
    ordered = sorted(others, key=lambda item: item[1].first)
    firsts = [item[1].first for item in ordered]
    reach: list[int] = []  # reach[i]: index of the range ending last among ordered[: i + 1]
    for index, (_, network) in enumerate(ordered):
        best = reach[-1] if reach else index
        reach.append(index if not reach or network.last > ordered[best][1].last else best)
    for item in ranges:
        network = item[1]
        end = bisect.bisect_right(firsts, network.last)
        if end and ordered[reach[end - 1]][1].last >= network.first:
            return item, ordered[reach[end - 1]]
    return None


def overlap_within(
    ranges: Sequence[tuple[_Labelled, netaddr.IPNetwork]],
) -> tuple[tuple[_Labelled, netaddr.IPNetwork], tuple[_Labelled, netaddr.IPNetwork]] | None:
    """Two ranges of one list that overlap (in list order), or ``None``: one sort and one sweep."""
    ordered = sorted(enumerate(ranges), key=lambda item: (item[1][1].first, item[0]))
    widest: tuple[int, tuple[_Labelled, netaddr.IPNetwork]] | None = None
    for position, item in ordered:
        if widest is not None and item[1].first <= widest[1][1].last:
            first, second = sorted((widest, (position, item)), key=lambda pair: pair[0])
            return first[1], second[1]
        if widest is None or item[1].last > widest[1][1].last:
            widest = (position, item)
    return None


def no_duplicates(values: list[_Hashable]) -> list[_Hashable]:
    """A list validator: each entry once (entries are compared as validated, e.g. normalised CIDRs)."""
    seen: dict[_Hashable, int] = {}
    for index, value in enumerate(values):
        if value in seen:
            raise Invalid(
                f"lists {value!s:.80} twice (entries {seen[value]} and {index}); each becomes one resource setting",
                "list each entry once",
                field=f"[{index}]",
                value=value,
            )
        seen[value] = index
    return values


Slug = Annotated[str, BeforeValidator(_strip), AfterValidator(_slug)]
ObjectId = Annotated[str, BeforeValidator(_strip), AfterValidator(_object_id)]
Guid = Annotated[str, BeforeValidator(_strip), AfterValidator(_guid)]
EmailAddress = Annotated[str, BeforeValidator(_strip), AfterValidator(_email)]
AzureRegion = Annotated[str, BeforeValidator(_strip), AfterValidator(_region)]
Cidr = Annotated[str, BeforeValidator(_strip), AfterValidator(_cidr)]
PublicIpRange = Annotated[str, BeforeValidator(_strip), AfterValidator(_public_ip_range)]
ResourceId = Annotated[str, BeforeValidator(_strip), AfterValidator(_resource_id)]
PrivateCidr = Annotated[str, BeforeValidator(_strip), AfterValidator(_private_cidr)]
