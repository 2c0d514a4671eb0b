"""resolve_mentions: a stream of mentions becomes one cluster per thing."""

from __future__ import annotations

from graphmem.resolution.clusters import resolve_mentions


def test_first_mention_creates_a_cluster_and_repeats_join_it() -> None:
    mentions = [("Acme Inc.", "Organization"), ("Bob", "Person"), ("ACME", "Organization")]
    assert resolve_mentions(mentions) == [0, 1, 0]


def test_cluster_ids_follow_first_appearance() -> None:
    assert resolve_mentions([("B", "Entity"), ("A", "Entity"), ("B", "Entity")]) == [0, 1, 0]


def test_surface_forms_accumulate_so_later_mentions_match_them() -> None:
    mentions = [
        ("United States Geological Survey", "Organization"),
        ("USGS", "Organization"),
        ("U.S.G.S.", "Organization"),
    ]
    assert resolve_mentions(mentions) == [0, 0, 0]


def test_surname_joins_the_earlier_full_name() -> None:
    mentions = [("Wilfried Schneider", "Person"), ("Berlin", "Location"), ("Schneider", "Person")]
    assert resolve_mentions(mentions) == [0, 1, 0]


def test_a_cluster_known_by_two_names_refuses_a_third_person() -> None:
    mentions = [("John Adams", "Person"), ("Adams", "Person"), ("Samuel Adams", "Person")]
    assert resolve_mentions(mentions) == [0, 0, 1]


def test_identifiers_stay_in_their_own_clusters() -> None:
    mentions = [("SR-2023-052", "Ticket"), ("SR-2023-053", "Ticket"), ("sr-2023-052", "Ticket")]
    assert resolve_mentions(mentions) == [0, 1, 0]


def test_no_mentions_give_no_clusters() -> None:
    assert resolve_mentions([]) == []
