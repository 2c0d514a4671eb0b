"""Load Cypher statements by name from `cypher/*.cypher` (SPEC §5): no query text in code."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.abc import Traversable


def _folder() -> Traversable:
    return resources.files("graphmem.stores.graph").joinpath("cypher")


def _text(name: str) -> str:
    return _folder().joinpath(*f"{name}.cypher".split("/")).read_text()


@cache
def cypher(name: str) -> str:
    """The statement in `cypher/<name>.cypher` (`browser/...` too), `//` lines removed."""
    lines = _text(name).splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("//"))


def cypher_statements(name: str) -> list[str]:
    """The `;`-separated statements of a file such as `schema`."""
    return [statement.strip() for statement in cypher(name).split(";") if statement.strip()]


def cypher_names(folder: str) -> list[str]:
    """The statement names in `cypher/<folder>/`, e.g. `["browser/shortest_path", ...]`."""
    files = _folder().joinpath(folder).iterdir()
    stems = sorted(f.name.removesuffix(".cypher") for f in files if f.name.endswith(".cypher"))
    return [f"{folder}/{stem}" for stem in stems]


def cypher_summary(name: str) -> str:
    """The first `//` comment line of `cypher/<name>.cypher`: what the statement is for."""
    for line in _text(name).splitlines():
        if line.lstrip().startswith("//"):
            return line.lstrip().removeprefix("//").strip()
    return ""
