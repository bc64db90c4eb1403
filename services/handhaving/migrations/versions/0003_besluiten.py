"""Handhavingszaken and besluiten (ZGW shape) with the Awb procedure, objections and their history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handhavingszaak",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("identificatie", sa.Text(), nullable=False),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("aanleiding", sa.Text(), nullable=False),
        sa.Column("aanleiding_id", sa.Uuid(), nullable=True),
        sa.Column("aanleiding_datum", sa.Date(), nullable=False),
        sa.Column("tekortkomingen", JSONB(), nullable=False),
        sa.Column("herhaling_van", sa.Uuid(), nullable=True),
        sa.Column("geopend_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geopend_door", sa.Text(), nullable=False),
        sa.UniqueConstraint("identificatie", name="uq_handhavingszaak_identificatie"),
        sa.UniqueConstraint("aanleiding", "aanleiding_id", name="uq_handhavingszaak_aanleiding"),
    )
    op.create_index("ix_handhavingszaak_zorgaanbieder_id", "handhavingszaak", ["zorgaanbieder_id"])
    op.create_table(
        "besluit",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("identificatie", sa.Text(), nullable=False),
        sa.Column("zaak_id", sa.Uuid(), sa.ForeignKey("handhavingszaak.id", name="fk_besluit_zaak_id_handhavingszaak"), nullable=False),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("besluittype", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=True),
        sa.Column("ingangsdatum", sa.Date(), nullable=True),
        sa.Column("vervaldatum", sa.Date(), nullable=True),
        sa.Column("vervalreden", sa.Text(), nullable=True),
        sa.Column("publicatiedatum", sa.Date(), nullable=True),
        sa.Column("verzenddatum", sa.Date(), nullable=True),
        sa.Column("uiterlijke_reactiedatum", sa.Date(), nullable=True),
        sa.Column("zienswijze_uiterlijk", sa.Date(), nullable=True),
        sa.Column("zienswijze_ontvangen_op", sa.Date(), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("motivering", sa.Text(), nullable=True),
        sa.Column("grondslag", sa.Text(), nullable=True),
        sa.Column("rechtsmiddelenclausule", sa.Text(), nullable=True),
        sa.Column("spoedreden", sa.Text(), nullable=True),
        sa.Column("instrumentgegevens", JSONB(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.UniqueConstraint("identificatie", name="uq_besluit_identificatie"),
    )
    op.create_index("ix_besluit_zaak_id", "besluit", ["zaak_id"])
    op.create_index("ix_besluit_zorgaanbieder_id", "besluit", ["zorgaanbieder_id"])
    op.create_table(
        "besluit_status",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("besluit_id", sa.Uuid(), sa.ForeignKey("besluit.id", name="fk_besluit_status_besluit_id_besluit"), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("sinds", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("door", sa.Text(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
    )
    op.create_index("ix_besluit_status_besluit_id", "besluit_status", ["besluit_id"])
    op.create_table(
        "bezwaar",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("besluit_id", sa.Uuid(), sa.ForeignKey("besluit.id", name="fk_bezwaar_besluit_id_besluit"), nullable=False),
        sa.Column("ontvangen_op", sa.Date(), nullable=False),
        sa.Column("laatste_dag", sa.Date(), nullable=False),
        sa.Column("te_laat", sa.Boolean(), nullable=False),
        sa.Column("verschoonbaar", sa.Boolean(), nullable=True),
        sa.Column("verschoonbaar_reden", sa.Text(), nullable=True),
        sa.Column("adviescommissie", sa.Boolean(), nullable=False),
        sa.Column("verdaagd", sa.Boolean(), nullable=False),
        sa.Column("beslistermijn_einde", sa.Date(), nullable=False),
        sa.Column("beslist_op", sa.Date(), nullable=True),
        sa.Column("uitkomst", sa.Text(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_bezwaar_besluit_id", "bezwaar", ["besluit_id"])


def downgrade() -> None:
    for table in ("bezwaar", "besluit_status", "besluit", "handhavingszaak"):
        op.drop_table(table)
