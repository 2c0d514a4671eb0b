"""unit_vectors: what the vector stores write and search with is unit length."""

from __future__ import annotations

import numpy as np

from graphmem.stores.vector.qdrant_collections import UNIT_TOLERANCE, unit_vectors


def test_unit_vectors_are_passed_on_as_they_are() -> None:
    rows = [[0.6, 0.8, 0.0], [0.0, 0.0, 1.0]]
    passed = unit_vectors(rows)
    assert passed == rows
    assert all(out is given for out, given in zip(passed, rows, strict=True))


def test_numpy_rows_come_back_as_lists() -> None:
    passed = unit_vectors(np.eye(3))
    assert all(isinstance(row, list) for row in passed)
    assert passed == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]


def test_other_lengths_are_scaled_to_one_and_zero_stays_zero() -> None:
    scaled = unit_vectors([[3.0, 4.0], [0.0, 0.0], [0.6, 0.8]])
    assert np.allclose(scaled[0], [0.6, 0.8])
    assert scaled[1] == [0.0, 0.0]
    assert np.allclose(scaled[2], [0.6, 0.8])


def test_a_length_just_outside_the_tolerance_is_scaled() -> None:
    off = 1.0 + 10 * UNIT_TOLERANCE
    scaled = unit_vectors([[off, 0.0]])
    assert scaled == [[1.0, 0.0]]
