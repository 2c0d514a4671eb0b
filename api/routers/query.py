"""`/v1/query`: answer a relationship question ("who works at Google?") with entities."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import CurrentGrant
from api.dependencies import MemoryDep
from api.errors import problem_responses
from api.responses import QueryAnswers
from api.schemas import QueryRequest

router = APIRouter(prefix="/v1", tags=["query"])


@router.post(
    "/query",
    summary="Answer a relationship question",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def query(body: QueryRequest, grant: CurrentGrant, memory: MemoryDep) -> QueryAnswers:
    """Ranked answer entities, the relation paths behind them and their memories; no LLM."""
    grant.authorize(body.ids())
    answers = await memory.query(
        body.question,
        **body.ids(),
        limit=body.limit,
        as_of=body.as_of,
        include_history=body.include_history,
    )
    return QueryAnswers.model_validate(answers)
