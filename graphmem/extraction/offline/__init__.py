"""The offline extractor: deterministic, pattern-based, no network and no model weights."""

from graphmem.extraction.offline.extractor import OfflineExtractor

__all__ = ["OfflineExtractor"]
