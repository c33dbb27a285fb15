"""The Azure clients behind the app's interfaces, all with Entra ID (no keys). SDKs load on first use."""

from __future__ import annotations

import uuid
from typing import Any

from ragapp.rag import Answer, Passage
from ragapp.settings import Settings


def credential(settings: Settings) -> Any:
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential(managed_identity_client_id=settings.client_id)


def openai_client(settings: Settings) -> Any:
    """An OpenAI client on the project's Foundry project endpoint (``<endpoint>/openai/v1``), with Entra tokens."""
    from azure.ai.projects import AIProjectClient

    project = AIProjectClient(endpoint=settings.project_endpoint, credential=credential(settings))
    return project.get_openai_client()


class FoundryChat:
    """Chat completions on the project's Foundry model deployment."""

    def __init__(self, settings: Settings) -> None:
        self._client = openai_client(settings)
        self._deployment = settings.chat_deployment

    def complete(self, messages: list[dict[str, str]]) -> str:
        response = self._client.chat.completions.create(model=self._deployment, messages=messages, temperature=0)
        return str(response.choices[0].message.content or "")


class Embedder:
    def __init__(self, settings: Settings) -> None:
        self._client = openai_client(settings)
        self._deployment = settings.embedding_deployment

    def embed(self, texts: list[str]) -> list[list[float]]:
        response = self._client.embeddings.create(model=self._deployment, input=texts)
        return [item.embedding for item in response.data]


class SearchRetriever:
    """Hybrid (keyword + vector) search in the project's AI Search index."""

    def __init__(self, settings: Settings) -> None:
        from azure.search.documents import SearchClient

        self._client = SearchClient(settings.search_endpoint, settings.search_index, credential(settings))
        self._embedder = Embedder(settings) if settings.embedding_deployment else None

    def search(self, query: str, top: int) -> list[Passage]:
        from azure.search.documents.models import VectorizedQuery

        vectors = []
        if self._embedder is not None:
            vector = self._embedder.embed([query])[0]
            vectors.append(VectorizedQuery(vector=vector, k_nearest_neighbors=top, fields="embedding"))
        results = self._client.search(search_text=query, vector_queries=vectors or None, top=top)
        return [Passage(r["id"], r["title"], r["content"]) for r in results]


class CosmosHistory:
    """Conversations in the project's Cosmos DB (Entra data-plane role; local auth is off)."""

    def __init__(self, settings: Settings) -> None:
        from azure.cosmos import CosmosClient

        if not settings.cosmos_endpoint or not settings.cosmos_database:
            msg = "CosmosHistory needs COSMOS_ENDPOINT and COSMOS_DATABASE"
            raise ValueError(msg)
        client = CosmosClient(settings.cosmos_endpoint, credential=credential(settings))
        self._container = client.get_database_client(settings.cosmos_database).get_container_client(
            settings.cosmos_container
        )

    def record(self, conversation_id: str, question: str, answer: Answer) -> None:
        self._container.upsert_item(
            {
                "id": str(uuid.uuid4()),
                "conversation_id": conversation_id,
                "question": question,
                "answer": answer.text,
                "sources": answer.sources,
            }
        )
