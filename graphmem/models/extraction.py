"""What extraction yields, and what callers may pass pre-extracted: facts, entities, relations.

`Extraction` is the common currency between extractors (LLM, offline) and the write path;
its validators clean names, normalise types, drop self-loops and give an entity named only
in a relation the type `Entity` (SPEC §3).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graphmem.models.identity import may_be_one_thing, referent
from graphmem.models.naming import (
    DEFAULT_ENTITY_TYPE,
    clean_name,
    entity_key,
    name_keys,
    normalize_entity_type,
    normalize_relation_type,
)

MAX_NAME_CHARS = 200
MAX_FACT_CHARS = 4000


def _clean_required_name(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    name = clean_name(value)
    if not name:
        raise ValueError("must not be empty")
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(f"must be at most {MAX_NAME_CHARS} characters")
    return name


class EntityDraft(BaseModel):
    """An entity as extracted or given: a name, an open PascalCase type, aliases."""

    model_config = ConfigDict(extra="forbid")

    name: str
    type: str = DEFAULT_ENTITY_TYPE
    aliases: list[str] = Field(default_factory=list)

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object) -> str:
        return _clean_required_name(value)

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: object) -> str:
        if value is not None and not isinstance(value, str):
            raise ValueError("must be a string")
        return normalize_entity_type(value)

    @field_validator("aliases", mode="after")
    @classmethod
    def _aliases(cls, value: list[str]) -> list[str]:
        return [clean_name(alias) for alias in value if clean_name(alias)]

    @property
    def key(self) -> str:
        return entity_key(self.name)

    def all_keys(self) -> tuple[str, ...]:
        """Its key, then its aliases' keys."""
        return name_keys(self.key, self.aliases)


def _one_draft(a: EntityDraft, b: EntityDraft) -> bool:
    """Whether two drafts of one record are one thing: one key, and `may_be_one_thing`."""
    return a.key == b.key and may_be_one_thing(a.name, a.type, b.name, b.type)


class RelationDraft(BaseModel):
    """A relation as extracted or given: `source -relationship-> target`, by entity name."""

    model_config = ConfigDict(extra="forbid")

    source: str
    relationship: str
    target: str
    fact: str | None = Field(default=None, max_length=MAX_FACT_CHARS)
    valid_from: date | None = None
    valid_to: date | None = None
    ends: bool = False
    """The text says this relation stopped holding ("X left Y"): end it, do not add it."""
    single_valued: bool = False
    """The source has one such relation at a time (as the LLM judged): a new value ends
    the old one, as for the configured `single_valued_relations`."""
    invalidated_at: datetime | None = None
    """When graphmem learned it no longer holds (export writes it, import restores it):
    the relation is stored as ended, and ends nothing else."""

    @field_validator("source", "target", mode="before")
    @classmethod
    def _end(cls, value: object) -> str:
        return _clean_required_name(value)

    @field_validator("relationship", mode="before")
    @classmethod
    def _relationship(cls, value: object) -> str:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return normalize_relation_type(value)

    @model_validator(mode="after")
    def _dates_in_order(self) -> RelationDraft:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    def said_on(self, day: date) -> RelationDraft:
        """This relation as stated on `day`, when it gives no date of its own: it holds from
        `day`, or, an ending, ends on `day`; never a date that would put its ends out of
        order."""
        if self.ends:
            undated = self.valid_to is None and (self.valid_from is None or self.valid_from <= day)
            return self.model_copy(update={"valid_to": day}) if undated else self
        undated = self.valid_from is None and (self.valid_to is None or day <= self.valid_to)
        return self.model_copy(update={"valid_from": day}) if undated else self

    def phrase(self) -> str:
        """A readable fact made from the triple: "Sarah Chen works at Google"."""
        return f"{self.source} {self.relationship.replace('_', ' ').lower()} {self.target}"


class Extraction(BaseModel):
    """Facts, entities and relations of one `add`, cleaned and consistent."""

    model_config = ConfigDict(extra="forbid")

    facts: list[str] = Field(default_factory=list)
    entities: list[EntityDraft] = Field(default_factory=list)
    relations: list[RelationDraft] = Field(default_factory=list)
    dropped: dict[str, int] = Field(default_factory=dict)

    @field_validator("facts", mode="after")
    @classmethod
    def _facts(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        facts = []
        for fact in (clean_name(text) for text in value):
            if fact and fact.casefold() not in seen:
                seen.add(fact.casefold())
                facts.append(fact)
        return facts

    @model_validator(mode="after")
    def _consistent(self) -> Extraction:
        """One draft per thing, relations between two different drafts, no repeats.

        Drafts of one key join when `identity.may_be_one_thing` allows it (an untyped one
        takes the other's type); a Movie "Airport" and its Tag "airport" stay two. Each
        relation end names a draft by `identity.referent` and is rewritten as that
        draft's name; an end that names none adds an untyped draft of its own.
        """
        drafts: list[EntityDraft] = []
        by_key: dict[str, list[EntityDraft]] = {}
        for entity in self.entities:
            same_key = by_key.setdefault(entity.key, [])
            known = next((d for d in same_key if _one_draft(d, entity)), None)
            if known is None:
                drafts.append(entity)
                same_key.append(entity)
            elif known.type == DEFAULT_ENTITY_TYPE:
                known.type = entity.type
        self.entities = drafts
        listed = len(drafts)
        relations: list[RelationDraft] = []
        seen: set[tuple[int, str, int, bool]] = set()
        for relation in self.relations:
            source = self._draft_index(relation.source, listed)
            target = self._draft_index(relation.target, listed, avoid=source)
            if source == target:
                self._count_drop("self_loop")
                continue
            triple = (source, relation.relationship, target, relation.ends)
            if triple in seen:
                continue
            seen.add(triple)
            relations.append(self._written_as_drafts(relation, source, target))
        self.relations = relations
        if relations and not self.facts:
            # Relations need a memory to come from: a readable fact per triple.
            self.facts = [relation.phrase() for relation in relations]
        return self

    def _draft_index(self, name: str, listed: int, avoid: int | None = None) -> int:
        """The draft a relation end names, added (untyped) when none does."""
        named = [(d.name, d.type) for d in self.entities]
        found = referent(name, named, avoid, listed)
        if found is None:
            self.entities.append(EntityDraft(name=name))
            found = len(self.entities) - 1
        return found

    def _written_as_drafts(
        self, relation: RelationDraft, source: int, target: int
    ) -> RelationDraft:
        """The relation with its ends spelled as the drafts they name ("google" -> "Google")."""
        ends = {"source": self.entities[source].name, "target": self.entities[target].name}
        if (relation.source, relation.target) == (ends["source"], ends["target"]):
            return relation
        return relation.model_copy(update=ends)

    def end_indexes(self, relation: RelationDraft) -> tuple[int, int]:
        """Indexes in `entities` of the drafts a relation's source and target name.

        Raises:
            KeyError: An end names no draft (the relation is not one of this extraction's).
        """
        named = [(d.name, d.type) for d in self.entities]
        source = referent(relation.source, named)
        target = referent(relation.target, named, avoid=source)
        if source is None or target is None:
            raise KeyError(relation.source if source is None else relation.target)
        return source, target

    def entity_for(self, name: str) -> EntityDraft:
        """The draft a relation end called `name` names (see `identity.referent`).

        Raises:
            KeyError: No draft fits the name.
        """
        found = referent(name, [(d.name, d.type) for d in self.entities])
        if found is None:
            raise KeyError(name)
        return self.entities[found]

    def _count_drop(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1

    def said_on(self, day: date) -> Extraction:
        """The extraction with its relations dated by the day they were said (see
        `RelationDraft.said_on`): `add(..., timestamp=...)` without stated dates."""
        return self.model_copy(update={"relations": [r.said_on(day) for r in self.relations]})

    def restrict_to(
        self, entity_types: list[str] | None, relation_types: list[str] | None
    ) -> Extraction:
        """Drop relations outside an allowed schema, counting them (SPEC §4)."""
        allowed_relations = {normalize_relation_type(t) for t in relation_types or []}
        allowed_entities = {normalize_entity_type(t) for t in entity_types or []}
        kept: list[RelationDraft] = []
        dropped = dict(self.dropped)
        for relation in self.relations:
            if allowed_relations and relation.relationship not in allowed_relations:
                dropped["relation_type_not_in_schema"] = (
                    dropped.get("relation_type_not_in_schema", 0) + 1
                )
                continue
            ends = self.end_indexes(relation)
            if allowed_entities and not all(
                self.entities[end].type in allowed_entities for end in ends
            ):
                dropped["entity_type_not_in_schema"] = (
                    dropped.get("entity_type_not_in_schema", 0) + 1
                )
                continue
            kept.append(relation)
        return Extraction(facts=self.facts, entities=self.entities, relations=kept, dropped=dropped)

    def summary(self) -> dict[str, Any]:
        return {
            "facts": len(self.facts),
            "entities": len(self.entities),
            "relations": len(self.relations),
            "dropped": dict(self.dropped),
        }
