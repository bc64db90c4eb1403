"""Last onder dwangsom: verbeurten and invorderingsbeschikkingen

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dwangsom_last",
        sa.Column("besluit_id", sa.Uuid(), sa.ForeignKey("besluit.id", name="fk_dwangsom_last_besluit_id_besluit"), primary_key=True),
        sa.Column(
            "begunstigingstermijn_einde",
            sa.Date(),
            nullable=False,
            comment="the last day the provider may comply without forfeiting",
        ),
        sa.Column("bedragsoort", sa.Text(), nullable=False),
        sa.Column("bedrag", sa.Numeric(12, 2), nullable=False, comment="the lump sum, or the amount per unit or per violation"),
        sa.Column("maximum", sa.Numeric(12, 2), nullable=True, comment="Awb 5:32b; none for a lump sum (its own maximum)"),
        sa.Column("tijdseenheid", sa.Text(), nullable=True),
        sa.Column("beeindigd_op", sa.Date(), nullable=True, comment="intrekking or opheffing: nothing is forfeited from this day"),
        sa.Column("beeindiging", sa.Text(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "dwangsom_controle",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "besluit_id",
            sa.Uuid(),
            sa.ForeignKey("dwangsom_last.besluit_id", name="fk_dwangsom_controle_besluit_id_dwangsom_last"),
            nullable=False,
        ),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("overtreding", sa.Boolean(), nullable=False),
        sa.Column("aantal_overtredingen", sa.Integer(), nullable=False),
        sa.Column("reden", sa.Text(), nullable=True),
        sa.Column("door", sa.Text(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_dwangsom_controle_besluit_id", "dwangsom_controle", ["besluit_id"])
    op.create_table(
        "dwangsom_verbeurte",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "besluit_id",
            sa.Uuid(),
            sa.ForeignKey("dwangsom_last.besluit_id", name="fk_dwangsom_verbeurte_besluit_id_dwangsom_last"),
            nullable=False,
        ),
        sa.Column(
            "controle_id",
            sa.Uuid(),
            sa.ForeignKey("dwangsom_controle.id", name="fk_dwangsom_verbeurte_controle_id_dwangsom_controle"),
            nullable=False,
        ),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("controle_datum", sa.Date(), nullable=False),
        sa.Column("verbeurd_vanaf", sa.Date(), nullable=False),
        sa.Column("verbeurd_tot", sa.Date(), nullable=False),
        sa.Column("eenheden", sa.Integer(), nullable=False),
        sa.Column("bedrag", sa.Numeric(12, 2), nullable=False),
        sa.Column("gemaximeerd", sa.Boolean(), nullable=False),
        sa.Column("betalen_uiterlijk", sa.Date(), nullable=False, comment="Awb 5:33, Atw applied"),
        sa.Column("verjaard_na", sa.Date(), nullable=False, comment="Awb 5:35: the last day collection is possible"),
        sa.Column("bijna_verjaard_vanaf", sa.Date(), nullable=False),
        sa.Column("invorderingsbeschikking_op", sa.Date(), nullable=True, comment="Awb 5:37"),
        sa.Column("aangemaand_op", sa.Date(), nullable=True, comment="Awb 4:112, only after the invorderingsbeschikking"),
        sa.Column("betaald_op", sa.Date(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("besluit_id", "volgnummer", name="uq_dwangsom_verbeurte_volgnummer"),
    )
    op.create_index("ix_dwangsom_verbeurte_besluit_id", "dwangsom_verbeurte", ["besluit_id"])
    op.create_index("ix_dwangsom_verbeurte_controle_id", "dwangsom_verbeurte", ["controle_id"])


def downgrade() -> None:
    op.drop_table("dwangsom_verbeurte")
    op.drop_table("dwangsom_controle")
    op.drop_table("dwangsom_last")
