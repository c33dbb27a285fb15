"""The azure-native type tokens the rules look at, named once."""

from __future__ import annotations

__all__ = [
    "ACCESS_CONNECTOR",
    "AKS",
    "APP_INSIGHTS",
    "APP_SERVICE_PLAN",
    "BASTION",
    "BLOB_CONTAINER",
    "BLOB_SERVICE",
    "BUDGET",
    "COGNITIVE_ACCOUNT",
    "COGNITIVE_DEPLOYMENT",
    "CONTAINER_APP",
    "CONTAINER_APPS_ENV",
    "CONTAINER_REGISTRY",
    "COSMOS_ACCOUNT",
    "DATABRICKS",
    "DATA_FACTORY",
    "DEPLOYMENT",
    "DIAGNOSTIC_SETTING",
    "EVENT_HUBS",
    "KEY_VAULT",
    "LINKED_SERVICE",
    "LOCK",
    "LOG_ANALYTICS",
    "ML_COMPUTE",
    "ML_WORKSPACE",
    "NETWORK_INTERFACE",
    "NSG",
    "POSTGRESQL_CONFIGURATION",
    "POSTGRESQL_SERVER",
    "PRIVATE_ENDPOINT",
    "PUBLIC_IP",
    "REDIS_CLUSTER",
    "REDIS_DATABASE",
    "ROLE_ASSIGNMENT",
    "SEARCH",
    "SEARCH_SHARED_LINK",
    "SECURITY_RULE",
    "SQL_AUDITING",
    "SQL_DATABASE",
    "SQL_ENTRA_ONLY",
    "SQL_SERVER",
    "STORAGE_ACCOUNT",
    "SUBNET",
    "VIRTUAL_MACHINE",
    "VIRTUAL_NETWORK",
    "WEB_APP",
]

ACCESS_CONNECTOR = "azure-native:databricks:AccessConnector"
AKS = "azure-native:containerservice:ManagedCluster"
APP_INSIGHTS = "azure-native:applicationinsights:Component"
APP_SERVICE_PLAN = "azure-native:web:AppServicePlan"
BASTION = "azure-native:network:BastionHost"
BLOB_CONTAINER = "azure-native:storage:BlobContainer"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
BUDGET = "azure-native:consumption:Budget"
COGNITIVE_ACCOUNT = "azure-native:cognitiveservices:Account"
COGNITIVE_DEPLOYMENT = "azure-native:cognitiveservices:Deployment"
CONTAINER_APP = "azure-native:app:ContainerApp"
CONTAINER_APPS_ENV = "azure-native:app:ManagedEnvironment"
CONTAINER_REGISTRY = "azure-native:containerregistry:Registry"
COSMOS_ACCOUNT = "azure-native:cosmosdb:DatabaseAccount"
DATABRICKS = "azure-native:databricks:Workspace"
DATA_FACTORY = "azure-native:datafactory:Factory"
DEPLOYMENT = "azure-native:resources:Deployment"
DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting"
EVENT_HUBS = "azure-native:eventhub:Namespace"
KEY_VAULT = "azure-native:keyvault:Vault"
LINKED_SERVICE = "azure-native:datafactory:LinkedService"
LOCK = "azure-native:authorization:ManagementLockByScope"
LOG_ANALYTICS = "azure-native:operationalinsights:Workspace"
ML_COMPUTE = "azure-native:machinelearningservices:Compute"
ML_WORKSPACE = "azure-native:machinelearningservices:Workspace"
NETWORK_INTERFACE = "azure-native:network:NetworkInterface"
NSG = "azure-native:network:NetworkSecurityGroup"
POSTGRESQL_CONFIGURATION = "azure-native:dbforpostgresql:Configuration"
POSTGRESQL_SERVER = "azure-native:dbforpostgresql:Server"
PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
PUBLIC_IP = "azure-native:network:PublicIPAddress"
REDIS_CLUSTER = "azure-native:redisenterprise:RedisEnterprise"
REDIS_DATABASE = "azure-native:redisenterprise:Database"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
SEARCH = "azure-native:search:Service"
SEARCH_SHARED_LINK = "azure-native:search:SharedPrivateLinkResource"
SECURITY_RULE = "azure-native:network:SecurityRule"
SQL_AUDITING = "azure-native:sql:ServerBlobAuditingPolicy"
SQL_DATABASE = "azure-native:sql:Database"
SQL_ENTRA_ONLY = "azure-native:sql:ServerAzureADOnlyAuthentication"
SQL_SERVER = "azure-native:sql:Server"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
SUBNET = "azure-native:network:Subnet"
VIRTUAL_MACHINE = "azure-native:compute:VirtualMachine"
VIRTUAL_NETWORK = "azure-native:network:VirtualNetwork"
WEB_APP = "azure-native:web:WebApp"
