"""Risk profiles with score, reasons and triggers; stored signals; supervision activities and their history.

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
    op.add_column("risicoprofiel", sa.Column("score", sa.Numeric(6, 2), server_default="0", nullable=False))
    op.add_column("risicoprofiel", sa.Column("overschreven_score", sa.Numeric(6, 2), nullable=True))
    op.add_column("risicoprofiel", sa.Column("overschrijving_reden", sa.Text(), nullable=True))
    op.add_column("risicoprofiel", sa.Column("model_versie", sa.Text(), nullable=True))
    op.add_column("risicoprofiel", sa.Column("redenen", JSONB(), server_default="[]", nullable=False))
    op.add_column("risicoprofiel", sa.Column("triggers", JSONB(), server_default="[]", nullable=False))
    op.add_column("risicoprofiel", sa.Column("sector", sa.Text(), nullable=True))
    op.add_column("risicoprofiel", sa.Column("gemeente_code", sa.Text(), nullable=True))
    op.add_column("risicoprofiel", sa.Column("soort", sa.Text(), nullable=True))
    op.add_column("risicoprofiel", sa.Column("laatste_oordeel_op", sa.Date(), nullable=True))
    op.add_column("risicoprofiel", sa.Column("berekend_op", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_risicoprofiel_score", "risicoprofiel", ["score"])
    op.add_column("risicoprofiel", sa.Column("effectieve_score", sa.Numeric(6, 2), server_default="0", nullable=False))
    op.add_column("risicoprofiel", sa.Column("peildatum", sa.Date(), nullable=True))
    op.add_column("risicoprofiel", sa.Column("startdatum", sa.Date(), nullable=True))
    op.add_column("risicoprofiel", sa.Column("gestopt_op", sa.Date(), nullable=True))
    op.add_column("risicoprofiel", sa.Column("kwaliteitssysteem", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("risicoprofiel", sa.Column("kwaliteitssysteem_reden", sa.Text(), nullable=True))
    op.create_index("ix_risicoprofiel_effectieve_score", "risicoprofiel", ["effectieve_score", "zorgaanbieder_id"])
    op.create_table(
        "signaal",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=True),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("uiterlijk", sa.Date(), nullable=True),
        sa.Column("geldig_tot", sa.Date(), nullable=True),
        sa.Column("ernstig", sa.Boolean(), nullable=False),
        sa.Column("waarde", sa.Float(), nullable=True),
        sa.Column("waarde_deels", sa.Float(), nullable=True),
        sa.Column("melder_rol", sa.Text(), nullable=True),
        sa.Column("bron_type", sa.Text(), nullable=False),
        sa.Column("bron_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.SmallInteger(), nullable=False),
        sa.Column("bron_object_id", sa.Uuid(), nullable=True),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("bron_id", "volgnummer", name="uq_signaal_bron_id_volgnummer"),
    )
    op.create_index("ix_signaal_zorgaanbieder_id", "signaal", ["zorgaanbieder_id"])
    op.create_index("ix_signaal_bron_object_id", "signaal", ["bron_object_id"])
    op.create_table(
        "toezichtactiviteit",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.Text(), nullable=False),
        sa.Column("selectieroute", sa.Text(), nullable=False),
        sa.Column("selectiereden", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("sector", sa.Text(), nullable=True),
        sa.Column("thema", sa.Text(), nullable=True),
        sa.Column("aangekondigd", sa.Boolean(), nullable=True),
        sa.Column("vorm", sa.Text(), nullable=True),
        sa.Column("uiterlijk", sa.Date(), nullable=True),
        sa.Column("gepland_op", sa.Date(), nullable=True),
        sa.Column("uitgevoerd_op", sa.Date(), nullable=True),
        sa.Column("planning_id", sa.Uuid(), nullable=True),
        sa.Column("vervalreden", sa.Text(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
    )
    op.create_index("ix_toezichtactiviteit_zorgaanbieder_id", "toezichtactiviteit", ["zorgaanbieder_id"])
    op.create_index("ix_toezichtactiviteit_planning_id", "toezichtactiviteit", ["planning_id"])
    op.create_table(
        "toezichtactiviteit_status",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "activiteit_id",
            sa.Uuid(),
            sa.ForeignKey("toezichtactiviteit.id", name="fk_toezichtactiviteit_status_activiteit_id_toezichtactiviteit"),
            nullable=False,
        ),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("sinds", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("door", sa.Text(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
    )
    op.create_index("ix_toezichtactiviteit_status_activiteit_id", "toezichtactiviteit_status", ["activiteit_id"])


def downgrade() -> None:
    op.drop_table("toezichtactiviteit_status")
    op.drop_table("toezichtactiviteit")
    op.drop_table("signaal")
    op.drop_index("ix_risicoprofiel_effectieve_score", "risicoprofiel")
    op.drop_index("ix_risicoprofiel_score", "risicoprofiel")
    for column in (
        "kwaliteitssysteem_reden",
        "kwaliteitssysteem",
        "gestopt_op",
        "startdatum",
        "peildatum",
        "effectieve_score",
        "berekend_op",
        "laatste_oordeel_op",
        "soort",
        "gemeente_code",
        "sector",
        "triggers",
        "redenen",
        "model_versie",
        "overschrijving_reden",
        "overschreven_score",
        "score",
    ):
        op.drop_column("risicoprofiel", column)
