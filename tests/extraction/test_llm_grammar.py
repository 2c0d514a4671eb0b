"""The response schemas use only keywords that grammar engines compile (llama.cpp, vLLM)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from graphmem.extraction.llm import ExtractedMemory
from graphmem.extraction.llm.grammar import GRAMMAR_KEYWORDS, schema_keywords
from graphmem.extraction.llm.reconcile import ReconcileAnswer

RESPONSE_MODELS = (ExtractedMemory, ReconcileAnswer)


@pytest.mark.parametrize("model", RESPONSE_MODELS)
def test_response_schemas_use_only_grammar_keywords(model: type[BaseModel]) -> None:
    assert schema_keywords(model.model_json_schema()) <= GRAMMAR_KEYWORDS


@pytest.mark.parametrize("model", RESPONSE_MODELS)
def test_response_schemas_carry_no_length_limits_or_formats(model: type[BaseModel]) -> None:
    used = schema_keywords(model.model_json_schema())

    assert not used & {"maxLength", "minLength", "maxItems", "format", "pattern"}


def test_the_extraction_schema_asks_for_every_list_and_the_empty_flag() -> None:
    assert ExtractedMemory.model_json_schema()["required"] == [
        "facts",
        "entities",
        "relations",
        "nothing_to_remember",
    ]
