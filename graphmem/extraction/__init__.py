"""Extraction: turning text into facts, entities and relations (LLM or offline)."""
