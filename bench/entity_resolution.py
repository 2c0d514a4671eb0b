"""Measure entity resolution on Re-DocRED: do graphmem's clusters match the gold entities?

Usage:
    python bench/entity_resolution.py [--data ../shared/datasets/redocred/dev.json]
                                      [--split tune|report|both] [--vectors]

Each document's mentions (every mention of every gold entity, in reading order: by
sentence, then token position) are fed as `(name, type)` entities to
`graphmem.resolution.resolve_mentions`, with Re-DocRED types mapped PER -> Person,
ORG -> Organization, LOC -> Location, TIME -> Time, NUM -> Number, MISC -> Entity.

Scores, summed over documents:
- pairwise precision / recall / F1 over the mention pairs of each document: a pair is
  predicted when both mentions got one cluster, gold when both belong to one gold entity
  (`vertexSet` item);
- wrong merges: the number of pairs of distinct gold entities of a document that share
  at least one predicted cluster ("gold pairs merged"), and the number of predicted
  clusters holding mentions of two or more gold entities ("mixed clusters").

Rows: the exact-key baseline (`entity_key` equality with compatible types, no aliases),
graphmem's resolver (`resolve_mentions`, pure), with `--vectors` the resolver plus VECTOR
evidence from the hash embedder, and "graphmem write path": the clusters a real `Memory`
(networkx, Qdrant local mode, hash embedder) forms when each sentence is one `add` whose
pre-extracted entities are that sentence's mentions, read back from the graph (a mention
belongs to the node whose name or alias it is). Splits: `tune` is the first 250
documents, `report` the last 250. Thresholds and rules were chosen on `tune` only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphmem import GraphMemConfig, Memory
from graphmem.models.naming import entity_key
from graphmem.resolution import resolve_mentions, types_compatible
from graphmem.resolution.matching import NameVectors
from graphmem.stores.embedders.hash import HashEmbedder

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/datasets/redocred/dev.json"
RESULTS = Path(__file__).resolve().parent / "results/entity_resolution.json"
TYPES = {
    "PER": "Person",
    "ORG": "Organization",
    "LOC": "Location",
    "TIME": "Time",
    "NUM": "Number",
    "MISC": "Entity",
}
TUNE_DOCS = 250

Mention = tuple[str, str]
Resolver = Callable[[Sequence[Mention]], list[int]]


@dataclass
class Score:
    """Pair counts and wrong merges of one row over many documents."""

    true_pairs: int = 0
    predicted_pairs: int = 0
    gold_pairs: int = 0
    gold_pairs_merged: int = 0
    mixed_clusters: int = 0
    documents: int = 0
    mentions: int = 0

    def add(self, predicted: Sequence[int], gold: Sequence[int]) -> None:
        self.documents += 1
        self.mentions += len(gold)
        for i, j in combinations(range(len(gold)), 2):
            same_predicted = predicted[i] == predicted[j]
            same_gold = gold[i] == gold[j]
            self.predicted_pairs += same_predicted
            self.gold_pairs += same_gold
            self.true_pairs += same_predicted and same_gold
        members: dict[int, set[int]] = {}
        for cluster, entity in zip(predicted, gold, strict=True):
            members.setdefault(cluster, set()).add(entity)
        merged: set[tuple[int, int]] = set()
        for entities in members.values():
            if len(entities) > 1:
                self.mixed_clusters += 1
                merged.update(combinations(sorted(entities), 2))
        self.gold_pairs_merged += len(merged)

    def as_dict(self) -> dict[str, float | int]:
        precision = self.true_pairs / self.predicted_pairs if self.predicted_pairs else 0.0
        recall = self.true_pairs / self.gold_pairs if self.gold_pairs else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "true_pairs": self.true_pairs,
            "predicted_pairs": self.predicted_pairs,
            "gold_pairs": self.gold_pairs,
            "gold_pairs_merged": self.gold_pairs_merged,
            "mixed_clusters": self.mixed_clusters,
            "documents": self.documents,
            "mentions": self.mentions,
        }


def document_mentions(document: dict[str, Any]) -> tuple[list[Mention], list[int]]:
    """The document's mentions in reading order, and the gold entity index of each."""
    rows = [
        (mention["sent_id"], mention["pos"][0], mention["pos"][1], entity, mention)
        for entity, mentions in enumerate(document["vertexSet"])
        for mention in mentions
    ]
    rows.sort(key=lambda row: row[:4])
    mentions = [(row[4]["name"], TYPES.get(row[4]["type"], "Entity")) for row in rows]
    return mentions, [row[3] for row in rows]


def exact_key_baseline(mentions: Sequence[Mention]) -> list[int]:
    """Today's write path: same `entity_key` and compatible types, first such cluster."""
    clusters: list[tuple[str, str]] = []
    ids: list[int] = []
    for name, type_ in mentions:
        key = entity_key(name)
        found = [i for i, (k, t) in enumerate(clusters) if k == key and t == type_]
        found = found or [
            i for i, (k, t) in enumerate(clusters) if k == key and types_compatible(t, type_)
        ]
        if found:
            ids.append(found[0])
        else:
            clusters.append((key, type_))
            ids.append(len(clusters) - 1)
    return ids


def with_hash_vectors(embedder: HashEmbedder) -> Resolver:
    """The resolver with VECTOR evidence from lexical hash vectors of every mention name."""

    def resolve(mentions: Sequence[Mention]) -> list[int]:
        names = sorted({name for name, _ in mentions})
        vectors: NameVectors = dict(zip(names, embedder.embed(names), strict=True))
        return resolve_mentions(mentions, name_vectors=vectors)

    return resolve


def score_split(documents: Sequence[dict[str, Any]], resolver: Resolver) -> Score:
    score = Score()
    for document in documents:
        mentions, gold = document_mentions(document)
        score.add(resolver(mentions), gold)
    return score


def score_write_path(documents: Sequence[dict[str, Any]], workdir: Path) -> Score:
    """Each document through `Memory.add`, one add per sentence, in a fresh store."""
    config = GraphMemConfig(data_dir=workdir, embedder="hash", extractor="offline")
    score = Score()
    with Memory(config) as memory:
        for document in documents:
            mentions, gold = document_mentions(document)
            for sentence, entities in sentence_entities(document):
                memory.add(sentence, user_id="doc", entities=entities)
            score.add(clusters_in_graph(memory, mentions), gold)
            memory.reset()
    return score


def sentence_entities(document: dict[str, Any]) -> list[tuple[str, list[dict[str, str]]]]:
    """Each sentence's text with its mentions as pre-extracted entities, in reading order."""
    by_sentence: dict[int, list[tuple[int, dict[str, str]]]] = {}
    for mentions in document["vertexSet"]:
        for mention in mentions:
            entity = {"name": mention["name"], "type": TYPES.get(mention["type"], "Entity")}
            by_sentence.setdefault(mention["sent_id"], []).append((mention["pos"][0], entity))
    return [
        (" ".join(document["sents"][sent_id]), [entity for _, entity in sorted(rows, key=str)])
        for sent_id, rows in sorted(by_sentence.items())
    ]


def clusters_in_graph(memory: Memory, mentions: Sequence[Mention]) -> list[int]:
    """The node each mention landed on: the entity with its key as name or alias, of its
    type if several."""
    nodes: dict[str, list[dict[str, Any]]] = {}
    for entity in memory.graph.entities(user_id="doc", limit=1000):
        for name in (entity["name"], *entity["aliases"]):
            nodes.setdefault(entity_key(name), []).append(entity)
    ids: dict[str, int] = {}
    clusters: list[int] = []
    for name, type_ in mentions:
        found = nodes.get(entity_key(name), [])
        same_type = [node for node in found if node["type"] == type_]
        node = (same_type or found or [{"id": f"missing:{name}"}])[0]
        clusters.append(ids.setdefault(node["id"], len(ids)))
    return clusters


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("tune", "report", "both"), default="both")
    parser.add_argument("--vectors", action="store_true", help="add a hash-vector row")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    documents = json.loads(args.data.read_text(encoding="utf-8"))
    splits = {"tune": documents[:TUNE_DOCS], "report": documents[-TUNE_DOCS:]}
    wanted = ("tune", "report") if args.split == "both" else (args.split,)
    resolvers: dict[str, Resolver] = {
        "exact entity_key (baseline)": exact_key_baseline,
        "graphmem resolution": resolve_mentions,
    }
    if args.vectors:
        resolvers["graphmem resolution + hash vectors"] = with_hash_vectors(HashEmbedder())
    results: dict[str, dict[str, dict[str, float | int]]] = {}
    for split in wanted:
        results[split] = {
            row: score_split(splits[split], resolver).as_dict()
            for row, resolver in resolvers.items()
        }
        with tempfile.TemporaryDirectory() as workdir:
            written = score_write_path(splits[split], Path(workdir))
        results[split]["graphmem write path"] = written.as_dict()
    print_table(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps({"data": str(args.data), "results": results}, indent=2) + "\n",
        encoding="utf-8",
    )
    return 0


def print_table(results: dict[str, dict[str, dict[str, float | int]]]) -> None:
    table = Table(title="Entity resolution on Re-DocRED dev (pairwise over mentions)")
    for column in ("split", "row", "P", "R", "F1", "gold pairs merged", "mixed clusters"):
        table.add_column(column, justify="left" if column in ("split", "row") else "right")
    for split, rows in results.items():
        for row, score in rows.items():
            table.add_row(
                split,
                row,
                f"{score['precision']:.3f}",
                f"{score['recall']:.3f}",
                f"{score['f1']:.3f}",
                str(score["gold_pairs_merged"]),
                str(score["mixed_clusters"]),
            )
    Console().print(table)


if __name__ == "__main__":
    raise SystemExit(main())
