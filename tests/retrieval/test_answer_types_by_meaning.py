"""`query` with the local model: a wh-phrase whose noun names a relation asks for its end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem import GraphMemConfig, Memory
from tests.retrieval.triples import typed_records

TRIPS = [
    ("Alpine Loop", "destination", "Zurich"),
    ("Lake Week", "destination", "Zurich"),
    ("Alpine Loop", "destination", "Geneva"),
    ("Nora Vik", "went_on", "Alpine Loop"),
    ("Nora Vik", "went_on", "Lake Week"),
    ("Zurich", "country", "Switzerland"),
    ("Geneva", "country", "Switzerland"),
]
TYPES = {"Alpine Loop": "Trip", "Lake Week": "Trip", "Nora Vik": "Person"}
TYPES |= {"Zurich": "City", "Geneva": "City", "Switzerland": "Country"}


@pytest.fixture(scope="module")
def trips(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    data_dir: Path = tmp_path_factory.mktemp("trips")
    with Memory(GraphMemConfig(data_dir=data_dir, embedder="local", extractor="offline")) as m:
        m.import_records(typed_records("trips", TRIPS, TYPES), progress=False)
        yield m


def test_a_noun_that_names_a_relation_asks_for_its_end(trips: Memory) -> None:
    answers = trips.query("What was the destination of the Alpine Loop?", user_id="trips")
    assert {a["entity"] for a in answers["answers"][:2]} == {"Zurich", "Geneva"}
