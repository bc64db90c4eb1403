"""The small demo set ``make run`` loads into an empty register (then its events fill the other services)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from register.bulk import laad
from register.models import Zorgaanbieder
from register.synthetic import write_jsonl

DEMO_AANTAL = 500
log = logging.getLogger(__name__)


async def laad_demo(runtime) -> None:
    async with runtime.db.transaction() as session:
        if await session.scalar(select(func.count()).select_from(Zorgaanbieder)):
            return
    with tempfile.TemporaryDirectory() as tmp:
        path = write_jsonl(Path(tmp) / "demo.jsonl", DEMO_AANTAL, seed=2026)
        rapport = await laad(runtime.settings.database_url, path, public_url=runtime.settings.public_url)
    log.info("demo register loaded", extra=rapport.samenvatting())
