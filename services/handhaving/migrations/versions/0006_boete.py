"""Bestuurlijke boete: boeterapporten and the fine's procedure.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "boeterapport",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "zaak_id", sa.Uuid(), sa.ForeignKey("handhavingszaak.id", name="fk_boeterapport_zaak_id_handhavingszaak"), nullable=False
        ),
        sa.Column(
            "besluit_id",
            sa.Uuid(),
            sa.ForeignKey("besluit.id", name="fk_boeterapport_besluit_id_besluit"),
            nullable=False,
            comment="the boete; one report each",
        ),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("opgemaakt_op", sa.Date(), nullable=False, comment="dagtekening: the 13 weeks of Awb 5:51 run from here"),
        sa.Column("overtredingsdatum", sa.Date(), nullable=False, comment="the fining power lapses counted from here (Awb 5:45)"),
        sa.Column("categorie", sa.Text(), nullable=False),
        sa.Column("ernst", sa.Text(), nullable=False),
        sa.Column("verwijtbaarheid", sa.Text(), nullable=False),
        sa.Column("fte", sa.Numeric(10, 2), nullable=False),
        sa.Column("omvangsklasse", sa.Text(), nullable=False),
        sa.Column("bedrag", sa.Numeric(14, 2), nullable=False),
        sa.Column("maximum", sa.Numeric(14, 2), nullable=False, comment="the category's maximum: the fine that can be imposed"),
        sa.Column("gemaximeerd", sa.Boolean(), nullable=False),
        sa.Column("zienswijze_verplicht", sa.Boolean(), nullable=False, comment="Awb 5:53: the fine can exceed the threshold"),
        sa.Column("uitleg", JSONB(), nullable=False, comment="the computation line by line, for the motivering"),
        sa.Column("beleid_versie", sa.Text(), nullable=False),
        sa.Column("beleid_hash", sa.Text(), nullable=False, comment="sha256 of the policy table's canonical JSON"),
        sa.Column("voorbeeldbeleid", sa.Boolean(), nullable=False, comment="computed from an example table, not the VWS amounts"),
        sa.Column("beslistermijn", sa.Date(), nullable=False, comment="last day to decide in time (Awb 5:51; not fatal)"),
        sa.Column("bevoegdheid_vervalt", sa.Date(), nullable=False, comment="last day the fine can be imposed (Awb 5:45)"),
        sa.Column("besluitdatum", sa.Date(), nullable=True),
        sa.Column("beslistermijn_overschreden_dagen", sa.Integer(), nullable=True, comment="set when decided: days past 5:51"),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aangemaakt_door", sa.Text(), nullable=False),
        sa.UniqueConstraint("besluit_id", name="uq_boeterapport_besluit_id"),
    )
    op.create_index("ix_boeterapport_zaak_id", "boeterapport", ["zaak_id"])
    op.create_index("ix_boeterapport_zorgaanbieder_id", "boeterapport", ["zorgaanbieder_id"])


def downgrade() -> None:
    op.drop_table("boeterapport")
