"""The environment's network: VNets, subnets, NSGs, peering, routes (``common_network``) and private DNS."""

from aifactory.components.network.common_network import CommonNetwork, CommonNetworkArgs, vnet_name
from aifactory.components.network.private_dns import PrivateDns, PrivateDnsArgs

__all__ = ["CommonNetwork", "CommonNetworkArgs", "PrivateDns", "PrivateDnsArgs", "vnet_name"]
