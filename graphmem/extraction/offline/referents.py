"""Who he, she and you refer to in a conversation.

"he / him / his / she / her / hers" refer to the nearest person named before them: earlier
in the same sentence, then in the earlier sentences of the same turn, then in the previous
two turns (`LOOKBACK_TURNS`); never further, since an old name is more often wrong than
right. A subject pronoun prefers the turn's last subject that was a person ("Tom met Ana.
He works at Fiat": Tom). In a turn that says "I", he and she are never its speaker. The
object of a clause is not its subject ("Ann thanked her": her is not Ann), a reflexive is
("Ann taught herself"). "you / your" refer to the person spoken to: in a
conversation of named speakers, the speaker of the nearest other turn. "we / us / our"
stand for the speaker, who is one of them ("we flew to Osaka": the speaker flew there).
"it" and "they" are left unresolved (no relation is read to them): without number and
animacy they are too often wrong.
"""

from __future__ import annotations

from collections import deque

from spacy.tokens import Token

from graphmem.extraction.offline.mentions import CERTAIN, GUESSED, Mention
from graphmem.extraction.offline.phrasings import PERSON

LOOKBACK_TURNS = 2
_THIRD_PERSON = frozenset("he him his she her hers".split())
_REFLEXIVE = frozenset({"himself", "herself"})
_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
_FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})


class Referents:
    """The people a conversation has named so far, to resolve its pronouns against."""

    def __init__(self) -> None:
        self._turns: deque[list[Mention]] = deque(maxlen=LOOKBACK_TURNS + 1)
        self._addressee: Mention | None = None
        self._speaker: Mention | None = None
        self._first_person: str | None = None
        self._sentence: list[Mention] = []
        self._sentence_subjects: list[Mention] = []
        self._turn_subjects: list[Mention] = []

    def begin_turn(
        self, speaker: str | None, addressee: str | None, first_person: str | None = None
    ) -> None:
        """A new turn starts: `speaker` is one of its "we", `addressee` its "you" (None:
        nobody named); `first_person` is its speaker when the turn speaks of itself as
        "I", and so is never "he" or "she" in it."""
        self._turns.append([])
        self._turn_subjects = []
        self._first_person = first_person
        self._speaker = None
        if speaker:
            self._speaker = Mention(speaker)
            self._speaker.assign(PERSON, CERTAIN)
        self._addressee = None
        if addressee:
            self._addressee = Mention(addressee)
            self._addressee.assign(PERSON, CERTAIN)

    def begin_sentence(self, people: list[Mention], subjects: list[Mention]) -> None:
        """The people the next sentence names, in order, and those of them that are
        subjects, before its pronouns are resolved."""
        self._sentence = people
        self._sentence_subjects = subjects

    def end_sentence(self, people: list[Mention]) -> None:
        """The sentence is read: its people become candidates for the next sentences."""
        if not self._turns:
            self._turns.append([])
        self._turns[-1].extend(people)
        self._turn_subjects = [*self._turn_subjects, *self._sentence_subjects]
        self._sentence, self._sentence_subjects = [], []

    def _may_be(self, mention: Mention) -> bool:
        """Whether `mention` may be he or she: a person, or a lone name nothing has typed
        yet beyond the recogniser's guess; never the turn's own "I"."""
        if mention.name == self._first_person:
            return False
        return mention.type == PERSON or mention.strength <= GUESSED

    def resolve(self, pronoun: Token, subject: Mention | None) -> Mention | None:
        """The person `pronoun` refers to, or None; `subject` is its clause's subject."""
        word = pronoun.lower_
        if word in _SECOND_PERSON:
            return self._addressee
        if word in _FIRST_PLURAL:
            return self._speaker  # the speaker is one of "we", and the one who said it
        if word in _REFLEXIVE:
            return subject if subject is not None and subject.type == PERSON else None
        if word not in _THIRD_PERSON:
            return None
        is_object = pronoun.dep_ in {"dobj", "pobj", "dative"} and word != "his"
        before = [m for m in self._sentence if min(m.tokens, default=pronoun.i) < pronoun.i]
        earlier = [m for turn in self._turns for m in turn]
        before = [m for m in before if self._may_be(m)]
        earlier = [m for m in earlier if self._may_be(m)]
        if pronoun.dep_ in {"nsubj", "nsubjpass"}:
            # a subject pronoun continues the last subject: "Tom met Ana. He works ..."
            subjects = [m for m in self._sentence_subjects if m in before] or self._turn_subjects
            known = {m.name for m in earlier + before}
            if subjects and subjects[-1].name in known:
                self._sentence_subjects.append(subjects[-1])
                return subjects[-1]
        for candidate in reversed(earlier + before):
            if is_object and subject is not None and candidate.name == subject.name:
                continue
            return candidate
        return None
