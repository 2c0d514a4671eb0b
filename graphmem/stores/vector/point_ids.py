"""Point ids and page cursors as Qdrant takes them: UUIDs.

Every graphmem id is a UUID, so an id that is not one names no point: lookups skip it
rather than fail. A page cursor is the id of the next page's first point; one that is not
a UUID was never given by a store and is refused, naming the field.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from graphmem.errors import InvalidInput

_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def point_ids(ids: Sequence[str]) -> list[str]:
    """The ids that can name a point, in their canonical form, first-seen order, no repeats.

    Example:
        >>> point_ids(["6F1D3B8E-3C2A-4F57-9A41-2B7F0C9E5D10", "m1"])
        ['6f1d3b8e-3c2a-4f57-9a41-2b7f0c9e5d10']
    """
    valid: dict[str, None] = {}
    for point_id in ids:
        if isinstance(point_id, str) and _CANONICAL.fullmatch(point_id):
            valid[point_id] = None  # graphmem's own ids: no need to parse them
            continue
        try:
            valid[str(uuid.UUID(point_id))] = None
        except (ValueError, TypeError, AttributeError):
            continue
    return list(valid)


def page_cursor(cursor: str | None) -> str | None:
    """`cursor` checked to be one a store could have given.

    Raises:
        InvalidInput: It is not a point id (field `cursor`).
    """
    if cursor is None:
        return None
    try:
        return str(uuid.UUID(cursor))
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"not a page cursor graphmem gave: {cursor!r}", field="cursor") from exc
