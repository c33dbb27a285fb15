"""The app's HTTP API (WSGI; gunicorn serves it in Container Apps and on App Service).

POST /chat   {"question": "...", "conversation_id": "optional"}  ->  {"answer": "...", "sources": [...]}
GET  /healthz                                                      ->  {"status": "ok"}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from ragapp.rag import ChatModel, History, Retriever, answer

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def make_app(retriever: Retriever, chat: ChatModel, history: History | None = None) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", "/"), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz":
            return _json(start_response, "200 OK", {"status": "ok"})
        if path != "/chat" or method != "POST":
            return _json(start_response, "404 Not Found", {"error": "POST /chat or GET /healthz"})
        try:
            size = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(size) or b"{}")
            result = answer(
                str(body.get("question", "")),
                retriever,
                chat,
                history=history,
                conversation_id=body.get("conversation_id"),
            )
        except (ValueError, json.JSONDecodeError) as exc:
            return _json(start_response, "400 Bad Request", {"error": str(exc)})
        return _json(start_response, "200 OK", {"answer": result.text, "sources": result.sources})

    return app


def _json(start_response: StartResponse, status: str, payload: dict[str, Any]) -> list[bytes]:
    data = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def azure_app() -> Callable[..., Iterable[bytes]]:
    """The app wired to the project's services, from the environment variables CI sets."""
    from ragapp.clients import CosmosHistory, FoundryChat, SearchRetriever
    from ragapp.settings import Settings

    settings = Settings.from_env()
    history = CosmosHistory(settings) if settings.cosmos_endpoint else None
    return make_app(SearchRetriever(settings), FoundryChat(settings), history)


def __getattr__(name: str) -> Any:
    # `gunicorn ragapp.server:app` builds the Azure-wired app on first access, so importing this module
    # (tests, tools) never needs the SDKs or the environment variables.
    if name == "app":
        return azure_app()
    raise AttributeError(name)
