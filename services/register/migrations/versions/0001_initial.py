"""Zorgaanbieders, vestigingen, actieve maatregelen, and the platform tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from zorgtoezicht.messaging.tables import create_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "zorgaanbieder",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kvk_nummer", sa.String(8), nullable=False),
        sa.Column("naam", sa.Text(), nullable=False),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("kvk_nummer", name="uq_zorgaanbieder_kvk_nummer"),
    )
    op.create_index("ix_zorgaanbieder_gewijzigd_op", "zorgaanbieder", ["gewijzigd_op"])
    op.create_table(
        "vestiging",
        sa.Column("vestigingsnummer", sa.String(12), primary_key=True),
        sa.Column(
            "zorgaanbieder_id",
            sa.Uuid(),
            sa.ForeignKey("zorgaanbieder.id", name="fk_vestiging_zorgaanbieder_id_zorgaanbieder"),
            nullable=False,
        ),
        sa.Column("naam", sa.Text(), nullable=True),
        sa.Column("postcode", sa.String(7), nullable=False),
        sa.Column("gemeente", sa.Text(), nullable=False),
    )
    op.create_index("ix_vestiging_zorgaanbieder_id", "vestiging", ["zorgaanbieder_id"])
    op.create_table(
        "actieve_maatregel",
        sa.Column("maatregel_id", sa.Uuid(), primary_key=True),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.Text(), nullable=False),
        sa.Column("ingangsdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
    )
    op.create_index("ix_actieve_maatregel_zorgaanbieder_id", "actieve_maatregel", ["zorgaanbieder_id"])


def downgrade() -> None:
    for table in ("actieve_maatregel", "vestiging", "zorgaanbieder", "dead_letter", "inbox", "outbox"):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS outbox_notify() CASCADE")
