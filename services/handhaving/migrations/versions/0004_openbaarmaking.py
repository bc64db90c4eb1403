"""Openbaarmaking of besluiten: the mandatory publication of measures.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "openbaarmaking",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("besluit_id", sa.Uuid(), nullable=False, comment="the besluit published; one publication each"),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("instrument", sa.Text(), nullable=False),
        sa.Column("documentsoort", sa.Text(), nullable=False),
        sa.Column("besluitdatum", sa.Date(), nullable=False),
        sa.Column("zakelijke_weergave", sa.Text(), nullable=False, comment="written for publication: no personal data"),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column(
            "bekendgemaakt_op",
            sa.Date(),
            nullable=False,
            comment="decision to publish made known; the wachttijd runs from the next day",
        ),
        sa.Column("laatste_wachtdag", sa.Date(), nullable=False),
        sa.Column("gepubliceerd_op", sa.Date(), nullable=True),
        sa.Column("zichtbaar_tot", sa.Date(), nullable=True, comment="last day online; removed from the day after"),
        sa.Column("verwijderd_op", sa.Date(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("besluit_id", name="uq_openbaarmaking_besluit_id"),
    )
    op.create_index("ix_openbaarmaking_zorgaanbieder_id", "openbaarmaking", ["zorgaanbieder_id"])
    op.create_index(
        "ix_openbaarmaking_gepubliceerd",
        "openbaarmaking",
        ["gepubliceerd_op", "id"],
        postgresql_where=sa.text("status = 'gepubliceerd'"),
    )
    op.create_table(
        "openbaarmaking_status",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "openbaarmaking_id",
            sa.Uuid(),
            sa.ForeignKey("openbaarmaking.id", name="fk_openbaarmaking_status_openbaarmaking_id_openbaarmaking"),
            nullable=False,
        ),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("sinds", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("door", sa.Text(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
    )
    op.create_index("ix_openbaarmaking_status_openbaarmaking_id", "openbaarmaking_status", ["openbaarmaking_id"])


def downgrade() -> None:
    op.drop_table("openbaarmaking_status")
    op.drop_table("openbaarmaking")
