"""Relation phrasings: what may stand between two names for a relation to hold.

Each pattern is matched against the whole text between two neighbouring names, lowercased
with whitespace collapsed ("works at the", ", who assassinated", " was shot by"). That keeps
patterns precise: anything the pattern does not foresee between the names, and no relation
is read. Roles ("X, director of Y") are matched in `roles.py`, because they need the
role word itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PERSON, ORGANIZATION, LOCATION = "Person", "Organization", "Location"

# Adverbs and auxiliaries that may precede a verb without changing the relation.
_AUX = (
    r"(?:(?:,\s*)?who\s+|(?:also|now|still|currently|recently|just|already|finally|actually"
    r"|eventually|has|have|had|is|are|was|were|will|would|has been|had been|used to|then)\s+)*"
)
_THE = r"(?:\s+the)?"


def _verb(phrase: str) -> re.Pattern[str]:
    """A pattern for `phrase` preceded by optional auxiliaries and followed by "the"."""
    return re.compile(rf"{_AUX}(?:{phrase}){_THE}")


@dataclass(frozen=True)
class RelationPattern:
    """A relation read from the text between two names.

    Attributes:
        relation: the normalised relation type, e.g. "WORKS_AT".
        between: must match the whole normalised text between the two names.
        source_type: type the source slot implies (None: no evidence).
        target_type: type the target slot implies.
        reverse: the later name is the source ("Y was shot by X").
        typed_source: the phrasing is too generic ("X of Y", "X at Y") to imply a person, so
            the source must already be typed as `source_type` for the relation to be read.
        for_organization: the relation to read instead when the target is an organisation
            ("Bob of Acme Corp" is employment, "Bob of Springfield" residence).
    """

    relation: str
    between: re.Pattern[str]
    source_type: str | None
    target_type: str | None
    reverse: bool = False
    typed_source: bool = False
    for_organization: str | None = None
    ends: bool = False
    """The phrasing says the relation stopped holding ("X left Y", "X divorced Y")."""


_KILL_VERBS = r"shot|killed|assassinated|murdered|stabbed|strangled|slew|executed|shot and killed"

PATTERNS: tuple[RelationPattern, ...] = (
    RelationPattern(
        "WORKS_AT",
        _verb(
            r"left|quit|(?:resigned|retired)\s+from|was\s+(?:fired|laid\s+off)\s+(?:from|by)"
            r"|(?:no\s+longer|stopped)\s+(?:works?|working)\s+(?:at|for)"
        ),
        PERSON,
        ORGANIZATION,
        ends=True,
    ),
    RelationPattern(
        "LIVES_IN",
        _verb(r"moved\s+(?:away\s+)?(?:out\s+of|from)|no\s+longer\s+lives?\s+in"),
        PERSON,
        LOCATION,
        ends=True,
    ),
    RelationPattern(
        "MARRIED_TO",
        _verb(r"divorced|(?:split|broke)\s+up\s+with|separated\s+from"),
        PERSON,
        PERSON,
        ends=True,
    ),
    RelationPattern(
        "WORKS_AT",
        _verb(
            r"(?:works?|worked|working|teach(?:es)?|taught)(?:\s+as\s+an?\s+[a-z -]+?)?"
            r"\s+(?:at|for|with)"
            r"|(?:is|was)\s+employed\s+(?:at|by)|(?:was\s+|got\s+)?hired\s+by|joins|joined"
            r"|signed\s+with|(?:is|was)\s+on\s+the\s+(?:staff|board|faculty)\s+(?:of|at)"
        ),
        PERSON,
        ORGANIZATION,
    ),
    RelationPattern(
        "LIVES_IN",
        _verb(
            r"(?:lives?|lived|living|resides?|resided|residing|stays?|settled)\s+in"
            r"|(?:moved|moves|moving|relocated|relocates|emigrated|immigrated)\s+(?:back\s+)?to"
            r"|(?:a\s+)?(?:resident|citizen)\s+of|(?:has|had|owns?)\s+a\s+(?:home|house)\s+in"
        ),
        PERSON,
        LOCATION,
    ),
    RelationPattern(
        "LIVES_IN",
        re.compile(r",(?:\s*\d+\s*,)?\s+(?:of|from)|of"),
        PERSON,
        LOCATION,
        typed_source=True,
        for_organization="WORKS_AT",
    ),
    RelationPattern(
        "WORKS_AT", re.compile(r",?\s*at(?:\s+the)?"), PERSON, ORGANIZATION, typed_source=True
    ),
    RelationPattern(
        "BORN_IN",
        _verb(r"born\s+in|(?:a\s+)?native\s+of|(?:a\s+)?native\s+son\s+of"),
        PERSON,
        LOCATION,
    ),
    RelationPattern("FROM", _verb(r"(?:is|was|comes?|came|hails?|hailed)\s+from"), None, LOCATION),
    RelationPattern(
        "MARRIED_TO",
        _verb(r"(?:got\s+|is\s+|was\s+)?married(?:\s+to)?|wed|weds"),
        PERSON,
        PERSON,
    ),
    RelationPattern(
        "MARRIED_TO", re.compile(r"'s\s+(?:wife|husband|spouse)\s*,?"), PERSON, PERSON, True
    ),
    RelationPattern(
        "KNOWS",
        _verb(
            r"knows|knew|met|(?:is|are|was|were)\s+(?:good\s+|best\s+|close\s+|old\s+)?"
            r"friends?\s+(?:with|of)|(?:is|was)\s+an?\s+(?:good\s+|close\s+|old\s+)?friend\s+of"
        ),
        PERSON,
        PERSON,
    ),
    RelationPattern(
        "MANAGES",
        _verb(r"manages|managed|supervises|supervised|is\s+the\s+(?:manager|boss)\s+of"),
        PERSON,
        None,
    ),
    RelationPattern(
        "REPORTS_TO", _verb(r"reports\s+to|reported\s+to|works\s+under"), PERSON, PERSON
    ),
    RelationPattern(
        "STUDIED_AT",
        _verb(
            r"(?:studied|studies|studying|majored|majoring)(?:\s+[a-z]+)?\s+at|attended|attends"
            r"|graduated\s+from|(?:is|was)\s+an?\s+(?:[a-z]+\s+)?student\s+at|(?:went|goes)\s+to"
            r"\s+school\s+at"
        ),
        PERSON,
        ORGANIZATION,
    ),
    RelationPattern(
        "LIKES",
        _verb(
            r"(?:really\s+)?(?:likes?|loves?|enjoys?|adores?)|(?:is|was)\s+a\s+(?:big\s+)?fan\s+of"
        ),
        None,
        None,
    ),
    RelationPattern(
        "FOUNDED",
        _verb(r"(?:co-?)?founded|established|(?:is|was)\s+the\s+(?:co-?)?founder\s+of"),
        PERSON,
        ORGANIZATION,
    ),
    RelationPattern(
        "BASED_IN",
        _verb(
            r"(?:based|headquartered)\s+in|(?:has\s+its\s+)?headquarters\s+(?:is\s+)?in"
            r"(?:\s+nearby)?"
        ),
        ORGANIZATION,
        LOCATION,
    ),
    RelationPattern(
        "LOCATED_IN",
        _verb(
            r"(?:located|situated)\s+in|(?:a|the)\s+(?:city|town|village|capital|region)\s+(?:in|of)"
        ),
        LOCATION,
        LOCATION,
    ),
    RelationPattern(
        "KILLED",
        re.compile(
            rf"{_AUX}(?:(?:[a-z]+\s+){{0,3}}(?:killing|assassinating|murdering)|(?:fatally\s+)?"
            rf"(?:{_KILL_VERBS})|(?:the\s+)?(?:assassin|killer|murderer)\s+of){_THE}"
        ),
        PERSON,
        PERSON,
    ),
    RelationPattern(
        "KILLED",
        re.compile(
            rf"(?:,\s*)?{_AUX}(?:fatally\s+)?(?:{_KILL_VERBS})(?:\s+to\s+death)?"
            r"(?:\s+[a-z]+){0,3}\s+by"
        ),
        PERSON,
        PERSON,
        True,
    ),
    RelationPattern(
        "KILLED",
        re.compile(r"(?:'s)?\s*(?:assassin|killer|murderer)\s*,?"),
        PERSON,
        PERSON,
        True,
    ),
)


def normalize_between(text: str) -> str:
    """The text between two names as patterns see it: lowercased, spaced, quotes unified.

    Example:
        >>> normalize_between("  , who   Assassinated ")
        ', who assassinated'
    """
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text).strip().lower()
    return re.sub(r" ([,;:])", r"\1", text)


def match_patterns(between: str) -> list[RelationPattern]:
    """All patterns whose phrasing is exactly the text between two names."""
    return [pattern for pattern in PATTERNS if pattern.between.fullmatch(between)]
