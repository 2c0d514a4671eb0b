"""`/v1/query`: answer a relationship question ("who works at Google?") with entities."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.auth import CurrentGrant
from api.dependencies import MemoryDep
from api.schemas import QueryRequest

router = APIRouter(prefix="/v1", tags=["query"])


@router.post("/query", summary="Answer a relationship question")
async def query(body: QueryRequest, grant: CurrentGrant, memory: MemoryDep) -> dict[str, Any]:
    """Ranked answer entities, the relation paths behind them and their memories; no LLM."""
    grant.authorize(body.ids())
    return await memory.query(
        body.question,
        **body.ids(),
        limit=body.limit,
        as_of=body.as_of,
        include_history=body.include_history,
    )
