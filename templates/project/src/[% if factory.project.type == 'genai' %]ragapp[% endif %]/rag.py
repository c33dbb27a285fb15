"""Retrieve, ground, answer, remember: the app's logic against three small interfaces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

SYSTEM_PROMPT = (
    "You answer questions for the team using only the sources below. Cite every source you use as [id]. "
    "If the sources do not contain the answer, say that you do not know."
)


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    content: str


@dataclass(frozen=True)
class Answer:
    text: str
    sources: list[str] = field(default_factory=list)


class Retriever(Protocol):
    def search(self, query: str, top: int) -> list[Passage]: ...


class ChatModel(Protocol):
    def complete(self, messages: list[dict[str, str]]) -> str: ...


class History(Protocol):
    def record(self, conversation_id: str, question: str, answer: Answer) -> None: ...


def build_messages(question: str, passages: Sequence[Passage]) -> list[dict[str, str]]:
    sources = "\n\n".join(f"[{p.id}] {p.title}\n{p.content}" for p in passages) or "(no sources found)"
    return [
        {"role": "system", "content": f"{SYSTEM_PROMPT}\n\nSources:\n{sources}"},
        {"role": "user", "content": question},
    ]


def cited(text: str, passages: Sequence[Passage]) -> list[str]:
    """The retrieved passages the answer cites as ``[id]``, in retrieval order."""
    return [p.id for p in passages if f"[{p.id}]" in text]


def answer(
    question: str,
    retriever: Retriever,
    chat: ChatModel,
    *,
    history: History | None = None,
    conversation_id: str | None = None,
    top: int = 3,
) -> Answer:
    if not question.strip():
        msg = "ask a question"
        raise ValueError(msg)
    passages = retriever.search(question, top)
    text = chat.complete(build_messages(question, passages))
    result = Answer(text=text, sources=cited(text, passages))
    if history is not None and conversation_id:
        history.record(conversation_id, question, result)
    return result


def chunk(text: str, size: int = 800, overlap: int = 100) -> list[str]:
    """Split a document into overlapping chunks on paragraph boundaries where possible."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    chunks: list[str] = []
    current = ""
    for paragraph in paragraphs:
        if current and len(current) + len(paragraph) + 2 > size:
            chunks.append(current)
            current = current[-overlap:] + "\n\n" + paragraph if overlap else paragraph
        else:
            current = f"{current}\n\n{paragraph}" if current else paragraph
    if current:
        chunks.append(current)
    return chunks
