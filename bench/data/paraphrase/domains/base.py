"""The pieces a paraphrase domain is made of: facts, hops, and phrased question templates.

A domain is a list of typed triples (what `kb.jsonl` holds) plus templates. A template is a
relation path (one `Hop` per relation walked) and several ways a person would ask for its
end, each with `{x}` (the topic's name) or `{xs}` (its possessive, "Rosa Fernandes'").
A phrasing whose words imply a gender at some hop ("wife", "mum", "son-in-law") is only
used for a topic where that gender changes nothing: "X's mum's birthplace" is asked only
when every parent that leads to an answer is a woman, so the gold set stays the plain walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OUT, IN = "out", "in"


@dataclass(frozen=True)
class Hop:
    """One step of a path: any of `steps` (relation, direction), their answers united.

    `IN` walks a relation backwards ("who works at X" walks `works at` from X to its
    sources); a hop of two steps reads a fact stored either way (`children` from the
    parent, or `parents` from the child).
    """

    name: str
    steps: tuple[tuple[str, str], ...]


def out(relation: str, name: str | None = None) -> Hop:
    """The hop that follows `relation` from source to target."""
    return Hop(name or relation, ((relation, OUT),))


def back(relation: str, name: str | None = None) -> Hop:
    """The hop that follows `relation` from target to source."""
    return Hop(name or f"~{relation}", ((relation, IN),))


def either(name: str, *steps: tuple[str, str]) -> Hop:
    """A hop read from whichever of several stored relations holds the fact."""
    return Hop(name, steps)


@dataclass(frozen=True)
class Phrasing:
    """One way to ask: text with `{x}` / `{xs}`, and the genders its words imply by hop."""

    text: str
    genders: tuple[tuple[int, str], ...] = ()


def ask(text: str, *, male: int | None = None, female: int | None = None) -> Phrasing:
    """A phrasing; `male=0` says the entities reached by hop 0 are men ("X's son")."""
    genders = [(hop, "Male") for hop in (male,) if hop is not None]
    genders += [(hop, "Female") for hop in (female,) if hop is not None]
    return Phrasing(text, tuple(genders))


@dataclass(frozen=True)
class Template:
    """A relation path and the phrasings that ask for its end."""

    path: tuple[Hop, ...]
    phrasings: tuple[Phrasing, ...]

    @property
    def name(self) -> str:
        return ">".join(hop.name for hop in self.path)


def template(path: list[Hop], *phrasings: str | Phrasing) -> Template:
    """A template; plain strings are phrasings that imply no gender."""
    return Template(
        tuple(path),
        tuple(p if isinstance(p, Phrasing) else Phrasing(p) for p in phrasings),
    )


@dataclass(frozen=True)
class Triple:
    source: str
    relation: str
    target: str


@dataclass
class Domain:
    """A domain's facts, the type of every entity, its templates, and people's genders.

    `genders` is the truth the phrasings are checked against; the KB may hold fewer
    `gender` facts than that, as real KBs do.
    """

    name: str
    triples: list[Triple]
    types: dict[str, str]
    templates: list[Template]
    genders: dict[str, str] = field(default_factory=dict)

    def check(self) -> None:
        """Every entity of a triple has a type (a typo in a name fails here, not later)."""
        untyped = {
            name
            for triple in self.triples
            for name in (triple.source, triple.target)
            if name not in self.types
        }
        if untyped:
            raise ValueError(f"{self.name}: no type for {sorted(untyped)}")
