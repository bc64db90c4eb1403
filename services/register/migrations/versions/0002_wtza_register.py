"""The full Wtza register: provider facts, search, Wtza meldingen, aandachtspunten, vergunningen, audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from zorgtoezicht.audit import create_audit_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.alter_column("zorgaanbieder", "naam", new_column_name="statutaire_naam")
    text_array = ARRAY(sa.Text())
    for name, column_type, default in [
        ("handelsnamen", text_array, "'{}'"),
        ("rechtsvorm", sa.Text(), None),
        ("soort", sa.Text(), "'instelling'"),
        ("agb_code", sa.String(8), None),
        ("sectoren", text_array, "'{}'"),
        ("zorgsoorten", text_array, "'{}'"),
        ("financiering", text_array, "'{}'"),
        ("aantal_zorgverleners", sa.Integer(), None),
        ("aantal_clienten", sa.Integer(), None),
        ("heeft_clientenraad", sa.Boolean(), None),
        ("heeft_intern_toezicht", sa.Boolean(), None),
        ("levert_msz", sa.Boolean(), "false"),
        ("startdatum_zorg", sa.Date(), None),
        ("status", sa.Text(), "'actief'"),
        ("vergunningplichtig", sa.Boolean(), "false"),
        ("vergunningstatus", sa.Text(), "'geen'"),
        ("zoeknaam", sa.Text(), "''"),
        ("inhoud_hash", sa.Text(), None),
        ("versie", sa.Integer(), "1"),
    ]:
        op.add_column(
            "zorgaanbieder", sa.Column(name, column_type, nullable=default is None, server_default=sa.text(default) if default else None)
        )
    op.execute("UPDATE zorgaanbieder SET zoeknaam = lower(statutaire_naam)")
    # GiST trigram index: nearest-name ordering (<->) with typos, fast at national scale.
    op.execute("CREATE INDEX ix_zorgaanbieder_zoeknaam_trgm ON zorgaanbieder USING gist (zoeknaam gist_trgm_ops)")
    op.create_index("ix_zorgaanbieder_sectoren", "zorgaanbieder", ["sectoren"], postgresql_using="gin")
    op.create_index("ix_zorgaanbieder_vergunningstatus", "zorgaanbieder", ["vergunningstatus"])
    op.drop_index("ix_zorgaanbieder_gewijzigd_op", "zorgaanbieder")

    op.add_column("vestiging", sa.Column("adres", sa.Text(), nullable=True))
    op.add_column("vestiging", sa.Column("plaats", sa.Text(), nullable=True))
    op.add_column("vestiging", sa.Column("gemeente_code", sa.String(6), nullable=True))
    op.create_index("ix_vestiging_postcode", "vestiging", ["postcode"])
    op.create_index("ix_vestiging_gemeente_code", "vestiging", ["gemeente_code"])

    op.create_table(
        "wtza_melding",
        sa.Column("cibg_referentie", sa.Text(), primary_key=True),
        sa.Column("inhoud_hash", sa.Text(), nullable=False),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("resultaat", JSONB(), nullable=False),
    )
    op.create_index("ix_wtza_melding_zorgaanbieder_id", "wtza_melding", ["zorgaanbieder_id"])
    op.create_table(
        "aandachtspunt",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "zorgaanbieder_id",
            sa.Uuid(),
            sa.ForeignKey("zorgaanbieder.id", name="fk_aandachtspunt_zorgaanbieder_id_zorgaanbieder"),
            nullable=False,
        ),
        sa.Column("regel", sa.Text(), nullable=False),
        sa.Column("grondslag", sa.Text(), nullable=False),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("vervolg", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("cibg_referentie", sa.Text(), nullable=True),
        sa.Column("ontstaan_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_aandachtspunt_zorgaanbieder_id", "aandachtspunt", ["zorgaanbieder_id"])
    op.create_table(
        "vergunning",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "zorgaanbieder_id",
            sa.Uuid(),
            sa.ForeignKey("zorgaanbieder.id", name="fk_vergunning_zorgaanbieder_id_zorgaanbieder"),
            nullable=False,
        ),
        sa.Column("cibg_referentie", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("aanvraag_compleet_op", sa.Date(), nullable=False),
        sa.Column("uiterste_beslisdatum", sa.Date(), nullable=False),
        sa.Column("besluitdatum", sa.Date(), nullable=True),
        sa.Column("weigeringsgrond", sa.Text(), nullable=True),
        sa.Column("intrekkingsdatum", sa.Date(), nullable=True),
        sa.Column("intrekkingsgrond", sa.Text(), nullable=True),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("cibg_referentie", name="uq_vergunning_cibg_referentie"),
    )
    op.create_index("ix_vergunning_zorgaanbieder_id", "vergunning", ["zorgaanbieder_id"])
    op.create_index("ix_vergunning_uiterste_beslisdatum", "vergunning", ["uiterste_beslisdatum"])
    create_audit_table(op)


def downgrade() -> None:
    for table in ("audit_trail", "vergunning", "aandachtspunt", "wtza_melding"):
        op.drop_table(table)
    for column in ("adres", "plaats", "gemeente_code"):
        op.drop_column("vestiging", column)
    op.drop_index("ix_zorgaanbieder_zoeknaam_trgm", "zorgaanbieder")
    for column in (
        "handelsnamen",
        "rechtsvorm",
        "soort",
        "agb_code",
        "sectoren",
        "zorgsoorten",
        "financiering",
        "aantal_zorgverleners",
        "aantal_clienten",
        "heeft_clientenraad",
        "heeft_intern_toezicht",
        "levert_msz",
        "startdatum_zorg",
        "status",
        "vergunningplichtig",
        "vergunningstatus",
        "zoeknaam",
        "inhoud_hash",
        "versie",
    ):
        op.drop_column("zorgaanbieder", column)
    op.alter_column("zorgaanbieder", "statutaire_naam", new_column_name="naam")
    op.create_index("ix_zorgaanbieder_gewijzigd_op", "zorgaanbieder", ["gewijzigd_op"])
