"""The Instructor response model of the one extraction call: facts, entities, relations.

The validators run on the LLM's output (with Instructor's validation context
`{"speaker": ...}`). A `ValueError` they raise makes Instructor re-ask the model with the
error; what can be repaired without the model (pronouns, empty names, self-loops, type
spelling) is repaired here and counted in `dropped`, like `Extraction` does (SPEC §4).

An answer must carry something to remember, or say that there is nothing
(`nothing_to_remember: true`): any other JSON object, `{"people": [...]}` or `{}`, is a
validation error and re-asked, never an empty success (issue 15). The schema keeps to what
grammar engines compile (`grammar.py`): length limits are checked here, after parsing.

Example:
    >>> raw = {"entities": [{"name": "I", "type": "person"}, {"name": "Google"}],
    ...        "relations": [{"source": "me", "relationship": "works at", "target": "Google"}]}
    >>> result = ExtractedMemory.model_validate(raw, context={"speaker": "Sarah"})
    >>> result.relations[0].source, result.relations[0].relationship
    ('Sarah', 'WORKS_AT')
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graphmem.extraction.llm.grammar import OPTIONAL_ISO_DATE, check_length, require_in_schema
from graphmem.models.extraction import (
    MAX_FACT_CHARS,
    MAX_NAME_CHARS,
    EntityDraft,
    Extraction,
    RelationDraft,
)
from graphmem.models.identity import referent
from graphmem.models.naming import (
    DEFAULT_ENTITY_TYPE,
    clean_name,
    entity_key,
    normalize_entity_type,
    normalize_relation_type,
)

SPEAKER_REFERENCES = frozenset({"i", "me", "my", "mine", "myself", "user", "the user"})
"""Entity names that mean "whoever is speaking"; replaced by the `speaker` context."""

DEFAULT_SPEAKER = "User"
"""The speaker's entity name when the caller names none (the scope still isolates users)."""

_NO_DATE = frozenset({"", "null", "none", "unknown", "n/a"})


def resolve_speaker(name: str, info: ValidationInfo) -> str:
    """The cleaned name, or the speaker from the validation context when it says "I"/"user".

    Without a speaker in the context (or with a blank one) it is `DEFAULT_SPEAKER`.
    """
    cleaned = clean_name(name)
    if entity_key(cleaned) not in SPEAKER_REFERENCES:
        return cleaned
    context = info.context if isinstance(info.context, dict) else {}
    speaker = context.get("speaker")
    if isinstance(speaker, str) and clean_name(speaker):
        return clean_name(speaker)
    return DEFAULT_SPEAKER


def _name_field(value: object, info: ValidationInfo) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return check_length(resolve_speaker(value, info), MAX_NAME_CHARS, "the name")


class ExtractedEntity(BaseModel):
    """A named thing the text talks about: a person, organisation, place, product, ..."""

    model_config = ConfigDict(extra="ignore", json_schema_extra=require_in_schema("type"))

    name: str = Field(description='Full name as written in the text; "I"/"me" means the speaker.')
    type: str = Field(
        default=DEFAULT_ENTITY_TYPE,
        description="PascalCase kind of thing, e.g. Person, Organization, City.",
    )
    aliases: list[str] = Field(default_factory=list, description="Other names used for it.")

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object, info: ValidationInfo) -> str:
        return _name_field(value, info)

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: object) -> str:
        return normalize_entity_type(value if isinstance(value, str) else None)

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, value: object) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError("must be a list of strings")
        return [clean_name(a) for a in value if isinstance(a, str) and clean_name(a)]


class ExtractedRelation(BaseModel):
    """A directed relation `source -relationship-> target` between two extracted entities."""

    model_config = ConfigDict(extra="ignore")

    source: str = Field(description="Name of an extracted entity.")
    relationship: str = Field(description="UPPER_SNAKE_CASE verb phrase, e.g. WORKS_AT.")
    target: str = Field(description="Name of an extracted entity.")
    fact: str | None = Field(default=None, description="The sentence stating it.")
    valid_from: Annotated[date | None, OPTIONAL_ISO_DATE] = Field(
        default=None, description="ISO date (YYYY-MM-DD) it became true."
    )
    valid_to: Annotated[date | None, OPTIONAL_ISO_DATE] = Field(
        default=None, description="ISO date (YYYY-MM-DD) it stopped being true."
    )
    ends: bool = Field(
        default=False,
        description="True when the text says it stopped holding (left, divorced, moved away).",
    )
    single_valued: bool = Field(
        default=False,
        description="True when the source can have only one such relation at a time "
        "(one home, one spouse, one CEO): a new one replaces the old.",
    )

    @field_validator("source", "target", mode="before")
    @classmethod
    def _end(cls, value: object, info: ValidationInfo) -> str:
        return _name_field(value, info)

    @field_validator("relationship", mode="before")
    @classmethod
    def _relationship(cls, value: object) -> str:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        try:
            return normalize_relation_type(value)
        except ValueError:
            return ""  # no usable letters: dropped and counted by ExtractedMemory

    @field_validator("fact")
    @classmethod
    def _fact(cls, value: str | None) -> str | None:
        return None if value is None else check_length(value, MAX_FACT_CHARS, "the fact")

    @field_validator("valid_from", "valid_to", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in _NO_DATE:
            return None
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> ExtractedRelation:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from; fix or omit the dates")
        return self


def _is_self_loop(relation: ExtractedRelation, entities: list[tuple[str, str]]) -> bool:
    """Whether both ends name one entity: one key, and no second entity of that key for
    the target (a Movie "Airport" tagged "airport", a Tag, is no loop; see
    `models.identity.referent`)."""
    if entity_key(relation.source) != entity_key(relation.target):
        return False
    source = referent(relation.source, entities)
    return source is None or source == referent(relation.target, entities, avoid=source)


class ExtractedMemory(BaseModel):
    """Facts, entities and relations stated in the conversation, ready to be remembered."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra=require_in_schema(
            "facts", "entities", "relations", "nothing_to_remember"
        ),
    )

    facts: list[str] = Field(
        default_factory=list,
        description="Short, self-contained statements worth remembering, one fact each.",
    )
    entities: list[ExtractedEntity] = Field(default_factory=list)
    relations: list[ExtractedRelation] = Field(default_factory=list)
    nothing_to_remember: bool = Field(
        default=False,
        description="True only when the conversation holds nothing worth remembering; "
        "then facts, entities and relations are all empty.",
    )

    _dropped: dict[str, int] = PrivateAttr(default_factory=dict)

    @field_validator("facts", mode="before")
    @classmethod
    def _facts(cls, value: object) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError("must be a list of strings")
        return [clean_name(f)[:MAX_FACT_CHARS] for f in value if isinstance(f, str)]

    @model_validator(mode="after")
    def _consistent(self) -> ExtractedMemory:
        named = [entity for entity in self.entities if entity.name]
        if len(named) < len(self.entities):
            self._count("empty_name", len(self.entities) - len(named))
        self.entities = named
        known = {entity_key(entity.name) for entity in self.entities}
        listed = [(entity.name, entity.type) for entity in self.entities]
        kept: list[ExtractedRelation] = []
        unknown: list[str] = []
        for relation in self.relations:
            if not relation.source or not relation.target:
                self._count("empty_name")
            elif not relation.relationship:
                self._count("unusable_relation_type")
            elif _is_self_loop(relation, listed):
                self._count("self_loop")
            else:
                ends = (relation.source, relation.target)
                unknown.extend(name for name in ends if entity_key(name) not in known)
                kept.append(relation)
        if unknown:
            names = ", ".join(sorted({repr(name) for name in unknown}))
            raise ValueError(
                f"relations name entities that are not in `entities`: {names}; "
                "add each of them to `entities` or remove those relations"
            )
        self.relations = kept
        self._says_whether_empty()
        return self

    def _says_whether_empty(self) -> None:
        """An empty answer must say so; a flagged one must be empty (else: re-ask)."""
        empty = not (any(self.facts) or self.entities or self.relations)
        if empty and not self.nothing_to_remember:
            raise ValueError(
                "the answer holds no facts, entities or relations; fill them in from the "
                "conversation, or, only if it holds nothing worth remembering, answer "
                '{"facts": [], "entities": [], "relations": [], "nothing_to_remember": true}'
            )
        if not empty and self.nothing_to_remember:
            raise ValueError(
                "nothing_to_remember is true but facts, entities or relations are given; "
                "set it to false, or empty the lists"
            )

    def _count(self, reason: str, n: int = 1) -> None:
        self._dropped[reason] = self._dropped.get(reason, 0) + n

    @property
    def dropped(self) -> dict[str, int]:
        """What the validators removed, by reason (e.g. `{"self_loop": 1}`)."""
        return dict(self._dropped)

    def to_extraction(self) -> Extraction:
        """The common `Extraction`, with the drop counts carried over."""
        entities = [EntityDraft(name=e.name, type=e.type, aliases=e.aliases) for e in self.entities]
        relations = [RelationDraft(**relation.model_dump()) for relation in self.relations]
        return Extraction(
            facts=[fact for fact in self.facts if fact],
            entities=entities,
            relations=relations,
            dropped=self.dropped,
        )
