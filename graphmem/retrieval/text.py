"""Query words: tokens, stems and n-grams, shared by entity linking and relation intent."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[\w][\w'.&-]*[\w]|[\w]")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "who",
        "whom",
        "whose",
        "what",
        "which",
        "when",
        "where",
        "why",
        "how",
        "did",
        "does",
        "do",
        "has",
        "have",
        "had",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "me",
        "my",
        "i",
        "you",
        "your",
        "he",
        "she",
        "his",
        "her",
        "they",
        "them",
        "their",
        "we",
        "our",
        "us",
        "as",
        "about",
        "into",
        "than",
        "then",
        "there",
        "s",
        "any",
        "all",
        "some",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "also",
    ]
)
_STEMMER = Stemmer.Stemmer("english")
_STEMMER_LOCK = threading.Lock()  # PyStemmer objects are not thread-safe


def words(text: str) -> list[str]:
    """Word tokens of `text` in order, original case."""
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """English stem of a word, case-folded: `Starred` -> `star`."""
    with _STEMMER_LOCK:
        return str(_STEMMER.stemWord(word.casefold()))


def content_stems(text: str) -> set[str]:
    """Stems of the words of `text` that are not stopwords."""
    return {stem(word) for word in words(text) if word.casefold() not in STOPWORDS}


def ngrams(tokens: list[str], max_len: int) -> list[tuple[int, int, str]]:
    """All `(start, end, text)` spans of up to `max_len` tokens, longest first."""
    spans = [
        (start, start + size, " ".join(tokens[start : start + size]))
        for size in range(min(max_len, len(tokens)), 0, -1)
        for start in range(len(tokens) - size + 1)
    ]
    return spans
