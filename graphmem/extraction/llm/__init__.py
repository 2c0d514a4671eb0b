"""LLM extraction: one Instructor-typed call over any OpenAI-compatible endpoint (SPEC §4).

`client.py` holds the `openai` / `instructor` half, imported on the first call."""

from graphmem.extraction.llm.extractor import LLMExtractor
from graphmem.extraction.llm.prompts import TypeSchema, validate_type_schema
from graphmem.extraction.llm.schema import ExtractedMemory

__all__ = [
    "ExtractedMemory",
    "LLMExtractor",
    "TypeSchema",
    "validate_type_schema",
]
