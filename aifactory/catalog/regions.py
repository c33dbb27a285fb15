"""Azure public-cloud regions and the short codes used in resource names.

Codes follow the common CAF-style abbreviations; they only need to be stable and unique.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["REGION_CODES"]

REGION_CODES = MappingProxyType(
    {
        "australiacentral": "auc",
        "australiacentral2": "auc2",
        "australiaeast": "aue",
        "australiasoutheast": "ause",
        "austriaeast": "ate",
        "belgiumcentral": "bec",
        "brazilsouth": "brs",
        "brazilsoutheast": "brse",
        "canadacentral": "cac",
        "canadaeast": "cae",
        "centralindia": "inc",
        "centralus": "cus",
        "chilecentral": "clc",
        "denmarkeast": "dke",
        "eastasia": "ea",
        "eastus": "eus",
        "eastus2": "eus2",
        "francecentral": "frc",
        "francesouth": "frs",
        "germanynorth": "gn",
        "germanywestcentral": "gwc",
        "indonesiacentral": "idc",
        "israelcentral": "ilc",
        "italynorth": "itn",
        "japaneast": "jpe",
        "japanwest": "jpw",
        "koreacentral": "krc",
        "koreasouth": "krs",
        "malaysiawest": "myw",
        "mexicocentral": "mxc",
        "newzealandnorth": "nzn",
        "northcentralus": "ncus",
        "northeurope": "neu",
        "norwayeast": "nwe",
        "norwaywest": "nww",
        "polandcentral": "plc",
        "qatarcentral": "qac",
        "southafricanorth": "san",
        "southafricawest": "saw",
        "southcentralus": "scus",
        "southeastasia": "sea",
        "southindia": "ins",
        "spaincentral": "spc",
        "swedencentral": "sdc",
        "swedensouth": "sds",
        "switzerlandnorth": "szn",
        "switzerlandwest": "szw",
        "uaecentral": "uaec",
        "uaenorth": "uaen",
        "uksouth": "uks",
        "ukwest": "ukw",
        "westcentralus": "wcus",
        "westeurope": "weu",
        "westindia": "inw",
        "westus": "wus",
        "westus2": "wus2",
        "westus3": "wus3",
    }
)
