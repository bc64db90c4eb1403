"""The unit of work of service code: one transaction, where its events, audit rows and terms go, and who acts.

HTTP operations build it from the request's transaction and the token's actor; the consumer runner builds it
for every event handler (a system actor naming the event), and the term watcher for every ended term. Service
functions take a ``Werk`` and only flush: whoever built it owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from zorgtoezicht.audit import Actor, AuditTrail
    from zorgtoezicht.messaging.outbox import Outbox
    from zorgtoezicht.termijnbewaking import Termijnen


@dataclass(frozen=True)
class Werk:
    """One unit of work in service code: the transaction, where events, audit rows and terms go, and who acts."""

    session: AsyncSession
    outbox: Outbox
    audit: AuditTrail
    actor: Actor
    termijnen: Termijnen
