"""Judgements (oordelen) against the sector's normenkader, per norm with its tekortkoming; indexes for the activity
list and the Jaarbeeld count.

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
        "oordeel",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "activiteit_id",
            sa.Uuid(),
            sa.ForeignKey("toezichtactiviteit.id", name="fk_oordeel_activiteit_id_toezichtactiviteit"),
            nullable=False,
        ),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("sector", sa.Text(), nullable=False),
        sa.Column("normenkader_versie", sa.Text(), nullable=False),
        sa.Column("vastgesteld_op", sa.Date(), nullable=False),
        sa.Column("vastgesteld_door", sa.Text(), nullable=False),
        sa.Column("aantal_voldaan", sa.Integer(), nullable=False),
        sa.Column("aantal_deels", sa.Integer(), nullable=False),
        sa.Column("aantal_niet_voldaan", sa.Integer(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("activiteit_id", name="uq_oordeel_activiteit_id"),
    )
    op.create_index("ix_oordeel_zorgaanbieder_id", "oordeel", ["zorgaanbieder_id"])
    op.create_table(
        "oordeel_norm",
        sa.Column("oordeel_id", sa.Uuid(), sa.ForeignKey("oordeel.id", name="fk_oordeel_norm_oordeel_id_oordeel"), primary_key=True),
        sa.Column("norm_id", sa.Text(), primary_key=True),
        sa.Column("volgorde", sa.Integer(), nullable=False),
        sa.Column("oordeel", sa.Text(), nullable=False),
        sa.Column("ernst", sa.Text(), nullable=True),
        sa.Column("bevinding", sa.Text(), nullable=False),
        sa.Column("normtekst", sa.Text(), nullable=False),
        sa.Column("bron", sa.Text(), nullable=False),
    )
    op.create_index("ix_toezichtactiviteit_uitgevoerd_op", "toezichtactiviteit", ["uitgevoerd_op"])
    op.create_index("ix_toezichtactiviteit_aangemaakt_op_id", "toezichtactiviteit", ["aangemaakt_op", "id"])


def downgrade() -> None:
    op.drop_index("ix_toezichtactiviteit_aangemaakt_op_id", "toezichtactiviteit")
    op.drop_index("ix_toezichtactiviteit_uitgevoerd_op", "toezichtactiviteit")
    op.drop_table("oordeel_norm")
    op.drop_table("oordeel")
