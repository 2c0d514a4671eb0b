"""`add(..., timestamp=...)`: when a memory was said; stored, returned, filtered, read in time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from graphmem import AsyncMemory, GraphMemConfig, InvalidInput, Memory

# A LoCoMo session: its date is human text, not ISO 8601; the caller turns it into ISO.
LOCOMO_SESSION_DATE = "1:56 pm on 8 May, 2023"
LOCOMO_SESSION_ISO = "2023-05-08T13:56:00"
LOCOMO_TURNS = [
    {"role": "user", "name": "Caroline", "content": "I went to a LGBTQ support group yesterday."},
    {"role": "assistant", "name": "Melanie", "content": "That sounds like a big step!"},
]


def added_id(result: dict[str, Any]) -> str:
    memory_id: str = result["results"][0]["id"]
    return memory_id


def remember(memory: Memory, text: str, timestamp: object = None) -> str:
    """Store `text` as given for alice, said at `timestamp`; its memory id."""
    return added_id(memory.add(text, user_id="alice", infer=False, timestamp=timestamp))


def timestamp_of(memory: Memory, text: str, timestamp: object) -> str | None:
    stamped: str | None = memory.get(remember(memory, text, timestamp))["timestamp"]
    return stamped


def texts(hits: dict[str, Any]) -> list[str]:
    return sorted(hit["memory"] for hit in hits["results"])


def relation(source: str, kind: str, target: str, **extra: object) -> dict[str, object]:
    return {"source": source, "relationship": kind, "target": target, **extra}


def answers(memory: Memory, question: str, as_of: str | None = None) -> list[str]:
    found = memory.query(question, user_id="alice", as_of=as_of)["answers"]
    return [answer["entity"] for answer in found]


def test_an_iso_date_is_midnight_utc(memory: Memory) -> None:
    assert timestamp_of(memory, "Ann likes tea.", "2023-05-08") == "2023-05-08T00:00:00+00:00"


def test_an_iso_datetime_with_an_offset_is_normalised_to_utc(memory: Memory) -> None:
    stamped = timestamp_of(memory, "Ann likes tea.", "2023-05-08T15:56:00+02:00")
    assert stamped == "2023-05-08T13:56:00+00:00"


def test_a_naive_iso_datetime_is_taken_as_utc(memory: Memory) -> None:
    stamped = timestamp_of(memory, "Ann likes tea.", "2023-05-08T13:56:00")
    assert stamped == "2023-05-08T13:56:00+00:00"


def test_epoch_seconds_as_an_int(memory: Memory) -> None:
    stamped = timestamp_of(memory, "Ann likes tea.", 1683554160)
    assert stamped == "2023-05-08T13:56:00+00:00"


def test_epoch_seconds_as_a_float_keep_their_fraction(memory: Memory) -> None:
    stamped = timestamp_of(memory, "Ann likes tea.", 1683554160.25)
    assert stamped == "2023-05-08T13:56:00.250000+00:00"


def test_a_datetime_in_another_zone_is_normalised_to_utc(memory: Memory) -> None:
    said = datetime(2023, 5, 8, 8, 56, tzinfo=timezone(timedelta(hours=-5)))
    assert timestamp_of(memory, "Ann likes tea.", said) == "2023-05-08T13:56:00+00:00"


def test_without_a_timestamp_it_is_none_and_created_at_is_when_it_was_stored(
    memory: Memory,
) -> None:
    before = datetime.now(UTC)
    stored = memory.get(remember(memory, "Ann likes tea."))
    assert stored["timestamp"] is None
    assert datetime.fromisoformat(stored["created_at"]) >= before


def test_a_timestamp_leaves_created_at_the_time_it_was_stored(memory: Memory) -> None:
    before = datetime.now(UTC)
    stored = memory.get(remember(memory, "Ann likes tea.", "2023-05-08"))
    assert datetime.fromisoformat(stored["created_at"]) >= before


BAD_TIMESTAMPS: dict[str, object] = {
    "a LoCoMo session date (not ISO 8601)": LOCOMO_SESSION_DATE,
    "a word": "yesterday",
    "an empty string": "",
    "an impossible hour": "2023-05-08T25:00:00",
    "a bool": True,
    "not a number": float("nan"),
    "an epoch out of range": 1e20,
    "a list": [2023, 5, 8],
}


@pytest.mark.parametrize("case", sorted(BAD_TIMESTAMPS))
def test_a_bad_timestamp_is_invalid_input_naming_it_and_writes_nothing(
    memory: Memory, case: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        memory.add("Sarah Chen works at Google.", user_id="alice", timestamp=BAD_TIMESTAMPS[case])
    assert raised.value.field == "timestamp"
    stats = memory.stats()
    assert (stats["memories"], stats["entities"], stats["relations"]) == (0, 0, 0)


def test_a_locomo_session_is_remembered_at_its_session_time(memory: Memory) -> None:
    said = datetime.strptime(LOCOMO_SESSION_DATE, "%I:%M %p on %d %B, %Y").isoformat()
    assert said == LOCOMO_SESSION_ISO
    memory.add(LOCOMO_TURNS, user_id="caroline", infer=False, timestamp=said)
    stored = memory.get_all(user_id="caroline")["results"]
    assert [m["timestamp"] for m in stored] == ["2023-05-08T13:56:00+00:00"]


def test_get_all_and_search_return_the_timestamp(memory: Memory) -> None:
    remember(memory, "Sarah Chen works at Google.", LOCOMO_SESSION_ISO)
    listed = memory.get_all(user_id="alice")["results"]
    found = memory.search("Sarah Chen Google", user_id="alice")["results"]
    assert [m["timestamp"] for m in listed] == ["2023-05-08T13:56:00+00:00"]
    assert [m["timestamp"] for m in found] == ["2023-05-08T13:56:00+00:00"]


def test_a_gte_filter_on_timestamp_compares_instants_of_any_precision(memory: Memory) -> None:
    remember(memory, "Ann likes tea.", "2023-04-30T23:59:59+00:00")
    remember(memory, "Ben likes tea.", "2023-05-01T00:30:00+02:00")  # 2023-04-30 22:30 UTC
    remember(memory, "Cid likes tea.", LOCOMO_SESSION_ISO)
    remember(memory, "Dan likes tea.")
    later = memory.get_all(user_id="alice", filters={"timestamp": {"gte": "2023-05-01"}})
    assert texts(later) == ["Cid likes tea."]


def test_a_lt_filter_on_timestamp_leaves_out_untimed_memories(memory: Memory) -> None:
    remember(memory, "Ann likes tea.", "2023-05-08T13:55:59Z")
    remember(memory, "Cid likes tea.", LOCOMO_SESSION_ISO)
    remember(memory, "Dan likes tea.")
    earlier = memory.get_all(
        user_id="alice", filters={"timestamp": {"lt": "2023-05-08T15:56:00+02:00"}}
    )
    assert texts(earlier) == ["Ann likes tea."]


def test_search_filters_on_timestamp_too(memory: Memory) -> None:
    remember(memory, "Ann likes green tea.", "2022-01-01")
    remember(memory, "Ben likes green tea.", "2023-06-01")
    hits = memory.search("green tea", user_id="alice", filters={"timestamp": {"gte": "2023-01-01"}})
    assert texts(hits) == ["Ben likes green tea."]


def test_a_filter_for_no_timestamp_finds_the_untimed_memories(memory: Memory) -> None:
    remember(memory, "Ann likes tea.", "2023-05-08")
    remember(memory, "Dan likes tea.")
    assert texts(memory.get_all(user_id="alice", filters={"timestamp": None})) == ["Dan likes tea."]


def test_a_timestamp_filter_that_is_not_iso_is_invalid_input(memory: Memory) -> None:
    with pytest.raises(InvalidInput) as raised:
        memory.get_all(user_id="alice", filters={"timestamp": {"gte": "8 May 2023"}})
    assert raised.value.field == "filters"


def test_search_as_of_leaves_out_memories_said_later(memory: Memory) -> None:
    remember(memory, "Ann likes green tea.", "2021-03-01")
    remember(memory, "Ben likes green tea.", "2021-06-01T23:00:00Z")
    remember(memory, "Cid likes green tea.", "2021-06-02T00:00:00Z")
    hits = memory.search("green tea", user_id="alice", as_of="2021-06-01")
    assert texts(hits) == ["Ann likes green tea.", "Ben likes green tea."]


def test_search_as_of_judges_an_untimed_memory_by_when_it_was_stored(memory: Memory) -> None:
    remember(memory, "Ann likes green tea.", "2021-03-01")
    remember(memory, "Dan likes green tea.")
    assert texts(memory.search("green tea", user_id="alice", as_of="2021-06-01")) == [
        "Ann likes green tea."
    ]
    today = datetime.now(UTC).date().isoformat()
    assert len(memory.search("green tea", user_id="alice", as_of=today)["results"]) == 2


def test_relations_of_a_timed_add_hold_from_its_day(memory: Memory) -> None:
    added = memory.add("Sarah Chen works at Google.", user_id="alice", timestamp=LOCOMO_SESSION_ISO)
    assert [r["valid_from"] for r in added["relations"]["added"]] == ["2023-05-08"]
    assert answers(memory, "Who works at Google?", as_of="2023-05-07") == []
    assert answers(memory, "Who works at Google?", as_of="2023-05-08") == ["Sarah Chen"]


def test_a_stated_valid_from_wins_over_the_timestamp(memory: Memory) -> None:
    added = memory.add(
        None,
        user_id="alice",
        relations=[relation("Sarah Chen", "works at", "Google", valid_from="2019-03-01")],
        timestamp="2023-05-08",
    )
    assert [r["valid_from"] for r in added["relations"]["added"]] == ["2019-03-01"]


def test_a_relation_that_ended_before_it_was_told_gets_no_later_start(memory: Memory) -> None:
    added = memory.add(
        None,
        user_id="alice",
        relations=[relation("Sarah Chen", "lives in", "Zurich", valid_to="2022-12-31")],
        timestamp="2023-05-08",
    )
    dates = [(r["valid_from"], r["valid_to"]) for r in added["relations"]["added"]]
    assert dates == [(None, "2022-12-31")]


def test_a_new_value_told_later_ends_the_old_one_on_the_day_it_was_told(memory: Memory) -> None:
    memory.add("Bob Smith lives in Berlin.", user_id="alice", timestamp="2020-01-01")
    moved = memory.add("Bob Smith moved to Paris.", user_id="alice", timestamp="2023-05-08")
    assert [(r["target"], r["valid_to"]) for r in moved["relations"]["invalidated"]] == [
        ("Berlin", "2023-05-08")
    ]
    assert answers(memory, "Where does Bob Smith live?", as_of="2021-06-01") == ["Berlin"]
    assert answers(memory, "Where does Bob Smith live?", as_of="2023-06-01") == ["Paris"]


def test_an_ending_told_at_a_time_ends_the_relation_on_that_day(memory: Memory) -> None:
    memory.add("Sarah Chen works at Google.", user_id="alice", timestamp="2020-01-01")
    left = memory.add("Sarah Chen left Google.", user_id="alice", timestamp="2022-03-15")
    assert [r["valid_to"] for r in left["relations"]["invalidated"]] == ["2022-03-15"]
    assert answers(memory, "Who works at Google?", as_of="2021-06-01") == ["Sarah Chen"]


def test_update_keeps_the_timestamp(memory: Memory) -> None:
    memory_id = remember(memory, "Ann likes tea.", LOCOMO_SESSION_ISO)
    memory.update(memory_id, text="Ann likes green tea.", metadata={"checked": True})
    assert memory.get(memory_id)["timestamp"] == "2023-05-08T13:56:00+00:00"


def test_a_repeated_fact_keeps_the_timestamp_it_was_first_said_at(memory: Memory) -> None:
    memory_id = remember(memory, "Ann likes tea.", "2023-05-08")
    again = memory.add("Ann likes tea.", user_id="alice", infer=False, timestamp="2024-01-01")
    assert [r["event"] for r in again["results"]] == ["NONE"]
    assert memory.get(memory_id)["timestamp"] == "2023-05-08T00:00:00+00:00"


def test_an_imported_record_timestamp_goes_on_its_memory_and_relations(memory: Memory) -> None:
    record = {
        "text": "Sarah Chen works at Google.",
        "user_id": "alice",
        "relations": [relation("Sarah Chen", "works at", "Google")],
        "timestamp": "2023-05-08T15:56:00+02:00",
    }
    summary = memory.import_records([record], progress=False)
    assert summary["errors"] == []
    stored = memory.get_all(user_id="alice")["results"]
    assert [m["timestamp"] for m in stored] == ["2023-05-08T13:56:00+00:00"]
    assert answers(memory, "Who works at Google?", as_of="2023-05-07") == []


def test_a_bad_timestamp_in_an_import_record_is_reported_by_line(memory: Memory) -> None:
    good = {"text": "Ann likes tea.", "user_id": "alice"}
    summary = memory.import_records(
        [good, {**good, "text": "Ben likes tea.", "timestamp": "last May"}], progress=False
    )
    assert [(e["line"], e["field"]) for e in summary["errors"]] == [(2, "timestamp")]
    assert texts(memory.get_all(user_id="alice")) == ["Ann likes tea."]


def test_export_then_import_round_trips_the_timestamp(memory: Memory, tmp_path: Path) -> None:
    remember(memory, "Ann likes tea.", LOCOMO_SESSION_ISO)
    memory.add("Sarah Chen works at Google.", user_id="alice", timestamp="2023-05-09")
    remember(memory, "Dan likes tea.")
    exported = memory.export(tmp_path / "export.jsonl")
    lines = [json.loads(line) for line in Path(exported["path"]).read_text().splitlines()]
    assert sorted(line.get("timestamp", "") for line in lines) == [
        "",
        "2023-05-08T13:56:00+00:00",
        "2023-05-09T00:00:00+00:00",
    ]

    other_config = GraphMemConfig(data_dir=tmp_path / "other", embedder="hash", extractor="offline")
    with Memory(other_config) as other:
        assert other.import_records(exported["path"], progress=False)["errors"] == []
        before = {m["memory"]: m["timestamp"] for m in memory.get_all(user_id="alice")["results"]}
        after = {m["memory"]: m["timestamp"] for m in other.get_all(user_id="alice")["results"]}
        assert after == before
        assert answers(other, "Who works at Google?", as_of="2023-05-08") == []
        assert answers(other, "Who works at Google?", as_of="2023-05-09") == ["Sarah Chen"]


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_async_memory_takes_the_timestamp(config: GraphMemConfig) -> None:
    async with await AsyncMemory.open(config) as amemory:
        added = await amemory.add(
            "Ann likes tea.", user_id="alice", infer=False, timestamp=LOCOMO_SESSION_ISO
        )
        stored = await amemory.get(added_id(added))
    assert stored["timestamp"] == "2023-05-08T13:56:00+00:00"
