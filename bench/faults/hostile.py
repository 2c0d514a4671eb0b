"""Hostile input: hypothesis-generated names, types, relation types, metadata and filters,
through the LLM path (the fake OpenAI server answers with them), `import_records` and
REST, on Neo4j, where an injected label or clause would show.

Each input is accepted, or refused clearly: an `InvalidInput` (a 4xx problem+json over
REST) that names the field, or, when the LLM's own answer stays invalid after re-asks, an
`ExtractionFailed` saying which field failed validation (SPEC §11); anything else
(another exception, a 5xx, a refusal naming no field) is counted. A refused input must
write nothing (the store counts do not move). After the run the graph must hold no label
or relationship type outside graphmem's patterns, and a canary node written beside
graphmem's must be untouched: 0 injections.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bench.faults.hostile_inputs import extraction, filters, metadata, record
from bench.faults.service import ADMIN_KEY
from graphmem import Memory
from graphmem.errors import ExtractionFailed, GraphMemError, InvalidInput
from tests.fakes.openai_server import FakeOpenAIServer

LABEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
RELATION_TYPE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
CANARY = "MERGE (c:SoakCanary {name: 'canary'}) RETURN c.name AS name"


@dataclass
class HostileTally:
    """Outcomes by channel: accepted, refused naming a field, and everything else."""

    outcomes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def count(self, channel: str, outcome: str, detail: str = "") -> None:
        self.outcomes[f"{channel}:{outcome}"] += 1
        if outcome not in {"accepted", "refused"}:
            self.problems.append(f"{channel} {outcome}: {detail[:300]}")

    def total(self, outcome: str | None = None) -> int:
        return sum(n for key, n in self.outcomes.items() if outcome in (None, key.split(":")[1]))


def examples(
    strategy: st.SearchStrategy[Any], count: int, seed: int, send: Callable[[Any], None]
) -> None:
    """Call `send` with `count` generated values (no shrinking: `send` never raises)."""

    @hypothesis.seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(strategy)
    def run(value: Any) -> None:
        send(value)

    run()


class StoreCounts:
    """The stores' item counts as last read, to tell whether a refused input wrote: read
    once after each input (the reading after one input is the next one's "before")."""

    def __init__(self, read: Callable[[], object]) -> None:
        self._read = read
        self._last = read()

    def moved(self) -> bool:
        """Whether the counts changed since last read (and remember the new ones)."""
        now = self._read()
        moved, self._last = now != self._last, now
        return moved


def library_counts(memory: Memory) -> StoreCounts:
    """Memories, entities and relations of every scope, by `Memory.stats`."""

    def read() -> object:
        stats = memory.stats()
        return stats["memories"], stats["entities"], stats["relations"]

    return StoreCounts(read)


def rest_counts(http: httpx.Client) -> StoreCounts:
    """The stored-items gauges of /metrics (memories, entities, relations)."""

    def read() -> object:
        text = http.get("/metrics").text
        return [line for line in text.splitlines() if line.startswith("graphmem_stored_items")]

    return StoreCounts(read)


def through_library(
    counts: StoreCounts, tally: HostileTally, channel: str, call: Callable[[], Any]
) -> None:
    """Run one library call with hostile input and count how it ended."""
    try:
        call()
    except InvalidInput as refusal:
        outcome = "refused" if refusal.field else "refused without a field"
        _refused(counts, tally, channel, outcome, str(refusal))
    except ExtractionFailed as failure:  # the LLM's answer, not the caller's input, was bad
        _refused(counts, tally, channel, "refused", str(failure))
    except GraphMemError as error:
        outcome = f"refused as {type(error).__name__}"
        _refused(counts, tally, channel, outcome, f"{error.field}: {error}")
    except Exception as crash:
        tally.count(channel, "crashed", f"{type(crash).__name__}: {crash}")
        counts.moved()
    else:
        tally.count(channel, "accepted")
        counts.moved()


def _refused(
    counts: StoreCounts, tally: HostileTally, channel: str, outcome: str, detail: str
) -> None:
    tally.count(channel, outcome, detail)
    if counts.moved():
        tally.count(channel, "wrote though refused", detail)


def through_rest(
    http: httpx.Client,
    counts: StoreCounts,
    tally: HostileTally,
    channel: str,
    method: str,
    path: str,
    **arguments: Any,
) -> None:
    """Send one hostile request and count how it was answered."""
    response = http.request(method, path, **arguments)
    if response.status_code >= 500:
        tally.count(channel, "5xx", f"{response.status_code} {response.text}")
        counts.moved()
    elif response.status_code >= 400:
        is_problem = response.headers.get("content-type", "").startswith("application/problem")
        clear = is_problem and bool(_json_object(response).get("field"))
        outcome = "refused" if clear else "refused without a field"
        _refused(counts, tally, channel, outcome, response.text)
    elif lines := _refused_lines(response):  # an import refuses records by line, in a 200
        named = all(line.get("field") for line in lines)
        outcome = "refused" if named else "refused without a field"
        _refused(counts, tally, channel, outcome, json.dumps(lines))
    else:
        tally.count(channel, "accepted")
        counts.moved()


def _refused_lines(response: httpx.Response) -> list[dict[str, Any]]:
    """The `errors` of an import report: the records it refused, by line and field."""
    body = _json_object(response)
    errors = body.get("errors")
    return errors if isinstance(errors, list) else []


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except json.JSONDecodeError:
        return {}
    return body if isinstance(body, dict) else {}


def plant_canary(uri: str, auth: tuple[str, str]) -> None:
    """A node graphmem never writes, to show that no hostile input reached other nodes."""
    import neo4j

    with neo4j.GraphDatabase.driver(uri, auth=auth) as driver, driver.session() as session:
        session.run(CANARY).consume()


def injections(uri: str, auth: tuple[str, str]) -> list[str]:
    """Labels and relationship types outside graphmem's patterns, and a missing canary."""
    import neo4j

    found = []
    with neo4j.GraphDatabase.driver(uri, auth=auth) as driver, driver.session() as session:
        labels = [row["label"] for row in session.run("CALL db.labels() YIELD label")]
        types = [row["relationshipType"] for row in session.run("CALL db.relationshipTypes()")]
        canaries = session.run("MATCH (c:SoakCanary) RETURN count(c) AS n").single()
        found += [f"label {label!r}" for label in labels if not LABEL.match(label)]
        found += [f"relationship type {t!r}" for t in types if not RELATION_TYPE.match(t)]
        if canaries is None or canaries["n"] != 1:
            found.append("the canary node is gone")
    return found


def llm_channel(
    memory: Memory, server: FakeOpenAIServer, count: int, seed: int, tally: HostileTally
) -> None:
    """Adds whose extraction (and metadata) is hostile: the fake LLM answers with it."""

    def send(value: tuple[dict[str, Any], Any]) -> None:
        answer, meta = value
        server.reset()
        server.script_json(answer, answer, answer)  # re-asks get the same answer
        add = partial(memory.add, "A turn.", user_id="hostile", metadata=meta)
        through_library(counts, tally, "llm", add)

    counts = library_counts(memory)
    examples(st.tuples(extraction, st.one_of(st.none(), metadata)), count, seed, send)


def import_channel(memory: Memory, count: int, seed: int, tally: HostileTally) -> None:
    """One hostile record an import: refused by line and field, or stored."""

    def send(value: dict[str, Any]) -> None:
        try:
            report = memory.import_records([value], progress=False)
        except GraphMemError as error:
            outcome = "refused" if error.field else "refused without a field"
            _refused(counts, tally, "import", outcome, str(error))
            return
        except Exception as crash:
            tally.count("import", "crashed", f"{type(crash).__name__}: {crash}")
            return
        if not report["errors"]:
            tally.count("import", "accepted")
            counts.moved()
            return
        named = all(error.get("field") for error in report["errors"])
        outcome = "refused" if named else "refused without a field"
        _refused(counts, tally, "import", outcome, str(report["errors"]))

    counts = library_counts(memory)
    examples(record, count, seed, send)


def filter_channel(memory: Memory, count: int, seed: int, tally: HostileTally) -> None:
    """Hostile filters through `search` and `get_all`."""

    def send(value: Any) -> None:
        search = partial(memory.search, "works", user_id="hostile", filters=value)
        through_library(counts, tally, "filters", search)
        listing = partial(memory.get_all, user_id="hostile", filters=value)
        through_library(counts, tally, "filters", listing)

    counts = library_counts(memory)
    examples(filters, count // 2, seed, send)


def as_json(body: Any) -> dict[str, Any]:
    """Request arguments sending `body` as JSON, NaN and Infinity included (which httpx's
    `json=` refuses to encode): a server must refuse that body, not fail on it."""
    return {"content": json.dumps(body), "headers": {"content-type": "application/json"}}


def rest_channel(url: str, count: int, seed: int, tally: HostileTally) -> None:
    """Hostile adds, imports and filters over REST with the admin key."""
    with httpx.Client(base_url=url, headers={"X-API-Key": ADMIN_KEY}, timeout=60) as http:
        counts = rest_counts(http)

        def add(value: dict[str, Any]) -> None:
            body = {"messages": value.get("text"), "user_id": value.get("user_id"), "infer": False}
            body |= {
                key: value[key]
                for key in ("metadata", "entities", "relations", "timestamp")
                if key in value
            }
            through_rest(http, counts, tally, "rest add", "POST", "/v1/memories", **as_json(body))

        def search(value: Any) -> None:
            body = {"query": "works", "user_id": "hostile", "filters": value}
            through_rest(
                http, counts, tally, "rest filters", "POST", "/v1/memories/search", **as_json(body)
            )
            params = {"user_id": "hostile", "filters": json.dumps(value)}
            through_rest(http, counts, tally, "rest filters", "GET", "/v1/memories", params=params)

        def imported(value: dict[str, Any]) -> None:
            through_rest(
                http, counts, tally, "rest import", "POST", "/v1/import", **as_json([value])
            )

        examples(record, count * 2 // 5, seed, add)
        examples(filters, count * 2 // 5 // 2, seed + 1, search)
        examples(record, count // 5, seed + 2, imported)
