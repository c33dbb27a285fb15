"""Build the project's AI Search index from data/documents/ (chunks with embeddings); run by CI per environment."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ragapp.rag import chunk
from ragapp.settings import Settings

DOCUMENTS = Path(__file__).resolve().parents[2] / "data" / "documents"


def documents(folder: Path = DOCUMENTS) -> list[dict[str, str]]:
    """One search document per chunk of every Markdown file; ids are stable across runs."""
    docs = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ").strip() if text else path.stem
        for number, piece in enumerate(chunk(text)):
            key = hashlib.sha256(f"{path.name}/{number}".encode()).hexdigest()[:16]
            docs.append({"id": key, "title": title, "content": piece, "source": path.name})
    return docs


def index_definition(name: str, dimensions: int) -> Any:
    from azure.search.documents.indexes.models import (
        HnswAlgorithmConfiguration,
        SearchableField,
        SearchField,
        SearchFieldDataType,
        SearchIndex,
        SimpleField,
        VectorSearch,
        VectorSearchProfile,
    )

    return SearchIndex(
        name=name,
        fields=[
            SimpleField(name="id", type=SearchFieldDataType.String, key=True),
            SearchableField(name="title", type=SearchFieldDataType.String),
            SearchableField(name="content", type=SearchFieldDataType.String),
            SimpleField(name="source", type=SearchFieldDataType.String, filterable=True),
            SearchField(
                name="embedding",
                type=SearchFieldDataType.Collection(SearchFieldDataType.Single),
                searchable=True,
                vector_search_dimensions=dimensions,
                vector_search_profile_name="default",
            ),
        ],
        vector_search=VectorSearch(
            algorithms=[HnswAlgorithmConfiguration(name="hnsw")],
            profiles=[VectorSearchProfile(name="default", algorithm_configuration_name="hnsw")],
        ),
    )


def main() -> int:
    from azure.search.documents import SearchClient
    from azure.search.documents.indexes import SearchIndexClient

    from ragapp.clients import Embedder, credential

    settings = Settings.from_env()
    docs = documents()
    vectors = Embedder(settings).embed([d["content"] for d in docs])
    SearchIndexClient(settings.search_endpoint, credential(settings)).create_or_update_index(
        index_definition(settings.search_index, len(vectors[0]))
    )
    client = SearchClient(settings.search_endpoint, settings.search_index, credential(settings))
    client.upload_documents([{**d, "embedding": v} for d, v in zip(docs, vectors, strict=True)])
    print(f"indexed {len(docs)} chunks into {settings.search_index}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
