"""Load Cypher statements by name from `cypher/*.cypher` (SPEC §5): no query text in code."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def cypher(name: str) -> str:
    """The statement in `cypher/<name>.cypher` (`browser/...` too), `//` lines removed."""
    folder = resources.files("graphmem.stores.graph").joinpath("cypher")
    text = folder.joinpath(*f"{name}.cypher".split("/")).read_text()
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def cypher_statements(name: str) -> list[str]:
    """The `;`-separated statements of a file such as `schema`."""
    return [statement.strip() for statement in cypher(name).split(";") if statement.strip()]
