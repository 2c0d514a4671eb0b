"""LLM extraction: one Instructor-typed call over any OpenAI-compatible endpoint (SPEC §4)."""

from graphmem.extraction.llm.extractor import LLMExtractor, build_openai_client
from graphmem.extraction.llm.prompts import TypeSchema, validate_type_schema
from graphmem.extraction.llm.schema import ExtractedMemory

__all__ = [
    "ExtractedMemory",
    "LLMExtractor",
    "TypeSchema",
    "build_openai_client",
    "validate_type_schema",
]
