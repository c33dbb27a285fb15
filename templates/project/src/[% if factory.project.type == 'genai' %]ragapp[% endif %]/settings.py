"""The app's settings: environment variables set by CI from config/environments.json (never secrets)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    project_endpoint: str
    chat_deployment: str
    embedding_deployment: str
    search_endpoint: str
    search_index: str
    cosmos_endpoint: str | None = None
    cosmos_database: str | None = None
    cosmos_container: str = "conversations"
    client_id: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        values = os.environ if env is None else env
        missing = [
            k
            for k in ("FOUNDRY_PROJECT_ENDPOINT", "CHAT_DEPLOYMENT", "SEARCH_ENDPOINT", "SEARCH_INDEX")
            if not values.get(k)
        ]
        if missing:
            msg = f"set {', '.join(missing)} (scripts/ci_env.py prints them for an environment)"
            raise ValueError(msg)
        return cls(
            project_endpoint=values["FOUNDRY_PROJECT_ENDPOINT"],
            chat_deployment=values["CHAT_DEPLOYMENT"],
            embedding_deployment=values.get("EMBEDDING_DEPLOYMENT", ""),
            search_endpoint=values["SEARCH_ENDPOINT"],
            search_index=values["SEARCH_INDEX"],
            cosmos_endpoint=values.get("COSMOS_ENDPOINT") or None,
            cosmos_database=values.get("COSMOS_DATABASE") or None,
            cosmos_container=values.get("COSMOS_CONTAINER", "conversations"),
            client_id=values.get("AZURE_CLIENT_ID") or None,
        )
