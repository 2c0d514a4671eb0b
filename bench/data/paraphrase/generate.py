"""Write the paraphrase check sets: small hand-written KBs and everyday questions over them.

Each domain (`domains/family.py`, `company.py`, `travel.py`) holds its facts and question
templates: a relation path and several ways a person would ask for its end. This writes,
per domain, `<domain>/kb.jsonl` (graphmem import records, one triple each) and
`<domain>/questions.jsonl`, one `{"question", "topic", "answers", "hops", "path",
"split"}` a line. Every answer set is the walk of the template's path from the topic over
the written KB (the topic itself left out), so a fact missing from the KB is never asked.
Seeded: a second run writes the same files. Run:

    .venv/bin/python bench/data/paraphrase/generate.py
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from domains import company, family, travel
from domains.base import IN, Domain, Phrasing, Template, Triple

HERE = Path(__file__).resolve().parent
SEED = 1729
QUOTA = {1: 20, 2: 60, 3: 40}  # questions per hop count, per domain
MAX_ANSWERS = 10  # a question with more gold answers than this is not asked
DROP_QUESTION_MARK = 0.25  # people often leave it off
LOWERCASE_START = 0.1  # ... and the capital letter


class Graph:
    """The KB's triples, followed by relation and direction."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.forward: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.backward: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.nodes: set[str] = set()
        for triple in triples:
            self.forward[triple.source, triple.relation].append(triple.target)
            self.backward[triple.target, triple.relation].append(triple.source)
            self.nodes.update((triple.source, triple.target))

    def follow(self, node: str, relation: str, direction: str) -> list[str]:
        edges = self.backward if direction == IN else self.forward
        return edges.get((node, relation), [])


def walk(
    graph: Graph, topic: str, template: Template, keep: dict[int, str], genders: dict[str, str]
) -> set[str]:
    """The ends of `template`'s path from `topic`; `keep` = {hop: gender} filters a hop."""
    frontier = {topic}
    for index, hop in enumerate(template.path):
        reached = {
            end
            for node in frontier
            for relation, direction in hop.steps
            for end in graph.follow(node, relation, direction)
        }
        if index in keep:
            reached = {node for node in reached if genders.get(node) == keep[index]}
        frontier = reached
    return frontier - {topic}


def fitting_phrasings(
    graph: Graph, topic: str, template: Template, gold: set[str], genders: dict[str, str]
) -> list[Phrasing]:
    """The phrasings whose implied genders leave the gold set as it is for this topic."""
    return [
        phrasing
        for phrasing in template.phrasings
        if not phrasing.genders
        or walk(graph, topic, template, dict(phrasing.genders), genders) == gold
    ]


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def surface(text: str, rng: random.Random) -> str:
    """Casual typing: sometimes no question mark, sometimes no capital letter."""
    if text.endswith("?") and rng.random() < DROP_QUESTION_MARK:
        text = text[:-1]
    if not text.startswith("{") and rng.random() < LOWERCASE_START:
        text = text[0].lower() + text[1:]
    return text


def questions(domain: Domain, rng: random.Random) -> list[dict[str, Any]]:
    """Up to QUOTA questions per hop count, templates taken in turn, topics shuffled."""
    graph = Graph(domain.triples)
    nodes = sorted(graph.nodes)
    rows: list[dict[str, Any]] = []
    asked: set[str] = set()
    for hops, quota in QUOTA.items():
        templates = [t for t in domain.templates if len(t.path) == hops]
        rng.shuffle(templates)
        queues: dict[str, list[tuple[str, set[str]]]] = {}
        for template in templates:
            candidates = [
                (topic, walk(graph, topic, template, {}, domain.genders)) for topic in nodes
            ]
            queue = [(topic, gold) for topic, gold in candidates if 0 < len(gold) <= MAX_ANSWERS]
            rng.shuffle(queue)
            queues[template.name] = queue
        used: Counter[tuple[str, str]] = Counter()
        taken = 0
        while taken < quota and any(queues.values()):
            for template in templates:
                queue = queues[template.name]
                if taken == quota or not queue:
                    continue
                topic, gold = queue.pop()
                fitting = fitting_phrasings(graph, topic, template, gold, domain.genders)
                if not fitting:
                    continue
                fewest = min(used[template.name, p.text] for p in fitting)
                phrasing = rng.choice([p for p in fitting if used[template.name, p.text] == fewest])
                text = surface(phrasing.text, rng).format(x=topic, xs=possessive(topic))
                text = text.replace("the The ", "The ")
                if text in asked:
                    continue
                used[template.name, phrasing.text] += 1
                asked.add(text)
                taken += 1
                rows.append(
                    {
                        "question": text,
                        "topic": topic,
                        "answers": sorted(gold),
                        "hops": hops,
                        "path": template.name,
                    }
                )
    return rows


def split(rows: list[dict[str, Any]], rng: random.Random) -> None:
    """Half of each hop count's questions `dev`, half `test`, by a seeded shuffle."""
    for hops in sorted({row["hops"] for row in rows}):
        group = [row for row in rows if row["hops"] == hops]
        rng.shuffle(group)
        for rank, row in enumerate(group):
            row["split"] = "dev" if rank < len(group) // 2 else "test"


def kb_records(domain: Domain) -> list[dict[str, Any]]:
    return [
        {
            "user_id": domain.name,
            "entities": [
                {"name": triple.source, "type": domain.types[triple.source]},
                {"name": triple.target, "type": domain.types[triple.target]},
            ],
            "relations": [
                {"source": triple.source, "relationship": triple.relation, "target": triple.target}
            ],
        }
        for triple in domain.triples
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    domains = [
        family.build(random.Random(f"{SEED}:family:kb")),
        company.build(),
        travel.build(),
    ]
    for domain in domains:
        domain.check()
        rows = questions(domain, random.Random(f"{SEED}:{domain.name}:questions"))
        split(rows, random.Random(f"{SEED}:{domain.name}:split"))
        write_jsonl(HERE / domain.name / "kb.jsonl", kb_records(domain))
        write_jsonl(HERE / domain.name / "questions.jsonl", rows)
        by_hops = Counter(row["hops"] for row in rows)
        print(
            f"{domain.name}: {len(domain.triples)} triples, {len(rows)} questions "
            f"({', '.join(f'{n}-hop {by_hops[n]}' for n in sorted(by_hops))})"
        )


if __name__ == "__main__":
    main()
