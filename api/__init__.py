"""graphmem's REST service: `create_app()` builds the FastAPI app (SPEC §7)."""

from api.app import create_app

__all__ = ["create_app"]
