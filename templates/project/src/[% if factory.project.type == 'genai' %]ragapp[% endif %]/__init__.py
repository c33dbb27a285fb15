"""A minimal retrieval-augmented app on the project's AI Foundry models, AI Search index and Cosmos DB.

Every client signs in with Entra ID (``DefaultAzureCredential``: the project identity in Azure, your
own account on a laptop); no key or connection string exists anywhere. ``rag`` is the logic and
depends on nothing; ``clients`` binds it to the Azure services.
"""
