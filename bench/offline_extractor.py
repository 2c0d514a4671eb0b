"""Measure the offline extractor: CoNLL04 precision / recall / F1 and speed, and LoCoMo recall.

Usage:
    python bench/offline_extractor.py [--data ../shared/datasets] [--split dev|test|both]

CoNLL04 (news sentences, one `extract` call each, as one add would make): entity and
relation precision, recall and F1, and sentences per second, one sentence per call and in
calls of 20 turns (as a conversation is added: spaCy parses a call's sentences together).
LoCoMo dev (conversations 0-1):
each observation fact is added as its speaker's message, said on its session's date; the
share of facts that yield at least one relation, relations per fact, how many got a day
from the text, and a seeded random sample of 30 triples to judge by hand.

Scoring choices:
- Names match exactly after normalisation: case-folded, whitespace removed, a final period
  dropped (the corpus tokenises "Calif." and "Ethiopia." inconsistently).
- Entities match on (name, type) with Peop -> Person, Org -> Organization, Loc -> Location.
  Gold `Other` entities (dates, nationalities, titles) are left out of the gold set, and a
  prediction whose name is a gold `Other` is ignored rather than counted wrong. Predictions
  typed `Entity` (no type found) count as predictions, so they cost precision.
- Relations match on (head name, tail name, type) with Work_For -> WORKS_AT,
  Live_In -> LIVES_IN, OrgBased_In -> BASED_IN, Located_In -> LOCATED_IN, Kill -> KILLED.
  Other predicted types are not scored ("strict"). CoNLL04 annotates birthplace and origin
  as Live_In, so a second "lenient" row also counts BORN_IN and FROM as LIVES_IN.

Tune on dev only; run test only to report.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphmem import Memory
from graphmem.config import GraphMemConfig
from graphmem.extraction.offline import OfflineExtractor
from graphmem.models.messages import Message

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/datasets"
LOCOMO_DEV_CONVERSATIONS = 2
SAMPLE_SIZE = 30
TURNS_PER_ADD = 20
RESULTS = Path(__file__).resolve().parent / "results/offline_extractor.json"
ENTITY_TYPES = {"Peop": "Person", "Org": "Organization", "Loc": "Location"}
RELATION_TYPES = {
    "Work_For": "WORKS_AT",
    "Live_In": "LIVES_IN",
    "OrgBased_In": "BASED_IN",
    "Located_In": "LOCATED_IN",
    "Kill": "KILLED",
}
# Predictions of types CoNLL04 has no class for (Group, Event, Work, a noun phrase's
# Concept ...) are left out, as gold `Other` entities are.
SCORED_ENTITY_TYPES = {*ENTITY_TYPES.values(), "Entity"}
LENIENT_ALIASES = {"BORN_IN": "LIVES_IN", "FROM": "LIVES_IN"}

Triple = tuple[str, str, str]


@dataclass
class Score:
    """True positives, predictions and gold items of one row."""

    hits: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, predicted: set[Any], gold: set[Any]) -> None:
        self.hits += len(predicted & gold)
        self.predicted += len(predicted)
        self.gold += len(gold)

    def as_dict(self) -> dict[str, float | int]:
        precision = self.hits / self.predicted if self.predicted else 0.0
        recall = self.hits / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "hits": self.hits,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass
class SplitScores:
    """All rows of one split."""

    entities: Score = field(default_factory=Score)
    relations: Score = field(default_factory=Score)
    lenient: Score = field(default_factory=Score)
    per_relation: dict[str, Score] = field(default_factory=dict)
    sentences_per_second: float = 0.0
    batched_sentences_per_second: float = 0.0


def detokenize(tokens: list[str]) -> str:
    """Join corpus tokens into ordinary text: "Booth , who" -> "Booth, who"."""
    text = " ".join(tokens)
    text = text.replace("` `", '"').replace("' '", '"')
    text = re.sub(r" ([,.;:!?%)])", r"\1", text)
    text = re.sub(r"\( ", "(", text)
    return re.sub(r" '(?=\w)", "'", text)


def key(name: str) -> str:
    """The form names are compared in: case-folded, no whitespace, no final period."""
    return re.sub(r"\s+", "", name).casefold().rstrip(".")


def gold_spans(tokens: list[str], tags: list[str]) -> list[tuple[str, str]]:
    """(text, corpus type) of each BILOU-tagged entity, in tag order."""
    spans: list[tuple[str, str]] = []
    start = 0
    for index, tag in enumerate(tags):
        if tag == "O":
            continue
        prefix, kind = tag.split("-", 1)
        if prefix in {"B", "U"}:
            start = index
        if prefix in {"L", "U"}:
            spans.append((" ".join(tokens[start : index + 1]), kind))
    return spans


def score_sentence(extractor: OfflineExtractor, item: dict[str, Any], scores: SplitScores) -> None:
    spans = gold_spans(item["tokens"], item["tags"])
    others = {key(text) for text, kind in spans if kind not in ENTITY_TYPES}
    gold_entities = {
        (key(text), ENTITY_TYPES[kind]) for text, kind in spans if kind in ENTITY_TYPES
    }
    gold_relations: set[Triple] = set()
    for relation in item["relations"]:
        head, tail = spans[relation["head"]][0], spans[relation["tail"]][0]
        gold_relations.add((key(head), RELATION_TYPES[relation["type"]], key(tail)))
    extraction = extractor.extract([Message(content=detokenize(item["tokens"]))])
    predicted_entities = {
        (key(e.name), e.type)
        for e in extraction.entities
        if key(e.name) not in others and e.type in SCORED_ENTITY_TYPES
    }
    triples = {(key(r.source), r.relationship, key(r.target)) for r in extraction.relations}
    scored = set(RELATION_TYPES.values())
    strict = {t for t in triples if t[1] in scored}
    lenient = strict | {(h, LENIENT_ALIASES[r], t) for h, r, t in triples if r in LENIENT_ALIASES}
    scores.entities.add(predicted_entities, gold_entities)
    scores.relations.add(strict, gold_relations)
    scores.lenient.add(lenient, gold_relations)
    for relation_type in scored:
        row = scores.per_relation.setdefault(relation_type, Score())
        row.add(
            {t for t in strict if t[1] == relation_type},
            {t for t in gold_relations if t[1] == relation_type},
        )


def run_split(extractor: OfflineExtractor, path: Path) -> SplitScores:
    scores = SplitScores()
    started = time.perf_counter()
    items = json.loads(path.read_text(encoding="utf-8"))
    for item in items:
        score_sentence(extractor, item, scores)
    scores.sentences_per_second = len(items) / (time.perf_counter() - started)
    texts = [detokenize(item["tokens"]) for item in items]
    started = time.perf_counter()
    for first in range(0, len(texts), TURNS_PER_ADD):
        extractor.extract([Message(content=text) for text in texts[first : first + TURNS_PER_ADD]])
    scores.batched_sentences_per_second = len(texts) / (time.perf_counter() - started)
    return scores


def session_day(text: str) -> datetime | None:
    """ "1:56 pm on 8 May, 2023" -> that moment (LoCoMo's session dates)."""
    try:
        return datetime.strptime(text.strip(), "%I:%M %p on %d %B, %Y").replace(tzinfo=UTC)
    except ValueError:
        return None


def locomo_observations(path: Path) -> list[tuple[str, str, datetime | None]]:
    """(speaker, fact, said at) of every observation of the dev conversations."""
    found = []
    for sample in json.loads(path.read_text(encoding="utf-8"))[:LOCOMO_DEV_CONVERSATIONS]:
        for session, per_speaker in sample["observation"].items():
            number = session.removeprefix("session_").removesuffix("_observation")
            said = session_day(sample["conversation"].get(f"session_{number}_date_time", ""))
            for speaker, items in per_speaker.items():
                found += [(speaker, fact, said) for fact, _evidence in items]
    return found


def run_locomo(extractor: OfflineExtractor, path: Path, console: Console) -> dict[str, Any]:
    """Relations per LoCoMo dev observation, and a sample of triples to judge."""
    facts = locomo_observations(path)
    with_relation = with_names = with_a_name = dated = relations = 0
    triples: list[tuple[str, str, str, str]] = []
    for speaker, fact, said in facts:
        extraction = extractor.extract([Message(content=fact, name=speaker)], said_at=said)
        types = {e.name: e.type for e in extraction.entities}
        found = extraction.relations
        relations += len(found)
        with_relation += bool(found)
        named = [(types[r.source] != "Concept") + (types[r.target] != "Concept") for r in found]
        with_names += any(count == 2 for count in named)
        with_a_name += any(count >= 1 for count in named)
        dated += sum(r.valid_from is not None or r.valid_to is not None for r in found)
        triples += [(r.source, r.relationship, r.target, fact) for r in found]
    sample = random.Random(0).sample(triples, min(SAMPLE_SIZE, len(triples)))
    console.print(f"LoCoMo dev observations ({len(facts)} facts): a sample of triples")
    for index, (source, relation, target, fact) in enumerate(sample, 1):
        console.print(f"{index:>2}. {source} -{relation}-> {target}   | {fact}", soft_wrap=True)
    output = {
        "facts": len(facts),
        "share_with_relation": round(with_relation / len(facts), 4),
        "share_with_relation_from_or_to_a_name": round(with_a_name / len(facts), 4),
        "share_with_relation_between_names": round(with_names / len(facts), 4),
        "relations_per_fact": round(relations / len(facts), 3),
        "relations_with_stated_day": dated,
        "sample": [list(t) for t in sample],
    }
    console.print(
        f"facts with a relation {output['share_with_relation']:.3f}; with one from or to a "
        f"name {output['share_with_relation_from_or_to_a_name']:.3f}; between two names "
        f"{output['share_with_relation_between_names']:.3f}; relations per fact "
        f"{output['relations_per_fact']:.2f}; dated from the text: {dated}"
    )
    return output


def report(results: dict[str, SplitScores], console: Console) -> dict[str, Any]:
    """Print one table for all splits and return the same numbers as JSON-ready dicts."""
    table = Table(title="Offline extractor on CoNLL04")
    for column in ("split", "row", "precision", "recall", "F1", "hits", "pred", "gold"):
        table.add_column(column, justify="left" if column in {"split", "row"} else "right")
    output: dict[str, Any] = {}
    for split, scores in results.items():
        rows = {
            "entities": scores.entities,
            "relations (strict)": scores.relations,
            "relations (lenient)": scores.lenient,
        } | {f"  {name}": score for name, score in sorted(scores.per_relation.items())}
        output[split] = {name.strip(): score.as_dict() for name, score in rows.items()}
        for name, score in rows.items():
            d = score.as_dict()
            table.add_row(
                split,
                name,
                *(f"{d[m]:.3f}" for m in ("precision", "recall", "f1")),
                *(str(d[m]) for m in ("hits", "predicted", "gold")),
            )
    console.print(table)
    for split, scores in results.items():
        output[split]["sentences_per_second"] = round(scores.sentences_per_second, 1)
        output[split]["sentences_per_second_in_conversations"] = round(
            scores.batched_sentences_per_second, 1
        )
        console.print(
            f"{split}: {scores.sentences_per_second:.0f} sentences/s one per add, "
            f"{scores.batched_sentences_per_second:.0f} sentences/s in adds of "
            f"{TURNS_PER_ADD} turns"
        )
    return output


def add_latency(facts: list[str], embedder: str, console: Console) -> dict[str, float]:
    """p50 / p95 of `Memory.add` for one-sentence messages on the embedded default (offline
    extractor, this `embedder`), each a new memory in one scope, in a fresh data dir."""
    timings: list[float] = []
    with tempfile.TemporaryDirectory(prefix="graphmem-bench-") as scratch:
        config = GraphMemConfig(data_dir=Path(scratch), embedder=embedder, extractor="offline")
        with Memory(config) as memory:
            memory.add("Warm-up: Ann works at Acme.", user_id="bench")
            for fact in facts:
                started = time.perf_counter()
                memory.add(fact, user_id="bench")
                timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    result = {
        "adds": len(timings),
        "p50_ms": round(timings[len(timings) // 2], 1),
        "p95_ms": round(timings[int(len(timings) * 0.95)], 1),
    }
    console.print(
        f"add, one sentence, {embedder} embedder: "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the datasets folder")
    parser.add_argument("--split", choices=("dev", "test", "both"), default="dev")
    parser.add_argument("--adds", type=int, default=200, help="one-sentence adds to time")
    args = parser.parse_args(argv)
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    extractor = OfflineExtractor()
    extractor.extract([Message(content="Warm-up: Ann works at Acme.")])
    conll = args.data / "conll04"
    results = {split: run_split(extractor, conll / f"{split}.json") for split in splits}
    console = Console()
    output = report(results, console)
    locomo = args.data / "locomo/locomo10.json"
    output["locomo_dev"] = run_locomo(extractor, locomo, console)
    sentences = [fact for _, fact, _ in locomo_observations(locomo)][: args.adds]
    if sentences:
        output["add_latency"] = {
            embedder: add_latency(sentences, embedder, console) for embedder in ("hash", "local")
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
