"""Keyword search: the in-memory BM25 index over memory texts and relation facts."""
