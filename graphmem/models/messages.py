"""Conversation input: a string or a list of `{role, content[, name]}` messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from graphmem.errors import InvalidInput
from graphmem.models.validation import describe_validation_error

MAX_INPUT_CHARS = 100_000


class Message(BaseModel):
    """One turn of a conversation."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    role: Literal["user", "assistant", "system", "tool"] = "user"
    content: str
    name: str | None = None

    @field_validator("content", mode="after")
    @classmethod
    def _content(cls, value: str) -> str:
        return value.strip()


def normalize_messages(messages: object) -> list[Message]:
    """Validate `add` input into messages with text, raising InvalidInput naming `messages`.

    Example:
        >>> normalize_messages("Sarah works at Google")[0].role
        'user'
    """
    if isinstance(messages, str):
        raw: Sequence[object] = [{"role": "user", "content": messages}]
    elif isinstance(messages, dict):
        raw = [messages]
    elif isinstance(messages, list | tuple):
        raw = messages
    else:
        raise InvalidInput(
            "messages must be a string or a list of {role, content} objects", field="messages"
        )
    try:
        parsed = [
            Message.model_validate(item) if not isinstance(item, Message) else item for item in raw
        ]
    except ValidationError as exc:
        raise InvalidInput(
            f"invalid messages: {describe_validation_error(exc)}", field="messages"
        ) from exc
    turns = [message for message in parsed if message.content and message.role != "system"]
    if not turns:
        raise InvalidInput("messages contain no text", field="messages")
    if sum(len(message.content) for message in turns) > MAX_INPUT_CHARS:
        raise InvalidInput(
            f"messages exceed {MAX_INPUT_CHARS} characters; split the input", field="messages"
        )
    return turns


def messages_text(messages: Sequence[Message]) -> str:
    """The messages as one text: a single user turn as is, a conversation as `role: text` lines."""
    if len(messages) == 1 and messages[0].role == "user":
        return messages[0].content
    return "\n".join(f"{m.name or m.role}: {m.content}" for m in messages)
