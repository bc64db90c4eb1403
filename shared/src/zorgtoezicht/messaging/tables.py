"""The platform tables every service database has: outbox, inbox and dead letters.

They are added to each service's MetaData and created by that service's first Alembic migration
(``create_platform_tables``), never at run time.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    Uuid,
    func,
    text,
)


def add_platform_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("event_type", Text, nullable=False),
        Column("topic", Text, nullable=False),
        Column("record_key", Text, nullable=False),
        Column("payload", LargeBinary, nullable=False, comment="the CloudEvent, structured JSON"),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("lease_token", Uuid, nullable=True),
        Column("lease_until", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text, nullable=True),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Index("ix_outbox_pending", "id", postgresql_where=text("published_at IS NULL")),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", Text, nullable=False),
        Column("event_id", Uuid, nullable=False),
        Column("event_type", Text, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "event_id"),
    )
    dead_letters = Table(
        "dead_letter",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("consumer", Text, nullable=False),
        Column("topic", Text, nullable=False),
        Column("partition", Integer, nullable=True),
        Column("offset", BigInteger, nullable=True),
        Column("record_key", Text, nullable=True),
        Column("payload", LargeBinary, nullable=False),
        Column("error", Text, nullable=False),
        Column("failed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return outbox, inbox, dead_letters


def create_platform_tables(op) -> None:
    """Call from a service's first migration: creates outbox, inbox and dead_letter."""
    from zorgtoezicht.db import new_metadata

    bind = op.get_bind()
    for table in add_platform_tables(new_metadata()):
        table.create(bind)
    # Wake the relay as soon as an event commits (LISTEN outbox); polling stays as the fallback.
    op.execute(
        """
        CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('outbox', ''); RETURN NULL; END $$;
        """
    )
    op.execute("CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()")
