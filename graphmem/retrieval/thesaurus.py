"""General English synonym groups for the words people use to name kinds of things.

These are language knowledge, not one dataset's phrasings: a film is a movie, a genre is a
kind or sort, a tag is a label or keyword, "who" asks for a person and "when" for a time.
Relation intent and answer typing use them after lemmatising, on both sides (the
question's words and the graph's type names), so they only ever connect words that mean
the same thing in ordinary English.
"""

from __future__ import annotations

SYNONYM_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"movie", "film", "picture", "motion picture"}),
    frozenset({"person", "people", "someone", "somebody", "who", "whom", "human"}),
    frozenset({"place", "location", "where", "city", "country", "town", "region"}),
    frozenset({"time", "date", "when", "year", "day"}),
    frozenset({"organization", "organisation", "company", "firm", "employer", "business"}),
    frozenset({"genre", "kind", "sort", "type", "category", "style"}),
    frozenset({"tag", "label", "keyword", "term", "word", "topic"}),
    frozenset({"language", "tongue"}),
    frozenset({"spouse", "husband", "wife", "partner", "married"}),
    frozenset({"job", "work", "employ", "employment", "position"}),
    frozenset({"home", "live", "reside", "residence"}),
    frozenset({"writer", "author", "screenwriter", "scriptwriter"}),
    frozenset({"actor", "actress", "cast", "performer", "appear"}),
)
