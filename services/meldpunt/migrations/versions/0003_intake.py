"""Intake of every kind of melding: timeliness, triage, workflow history, duplicates, personal data, audit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from zorgtoezicht.audit import create_audit_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NIEUWE_KOLOMMEN = [
    ("status", sa.Text(), "'ontvangen'"),
    ("melder_rol", sa.Text(), "'zorgaanbieder'"),
    ("kanaal", sa.Text(), "'partner-api'"),
    ("sector", sa.Text(), None),
    ("gemeente_code", sa.String(6), None),
    ("gebeurtenisdatum", sa.Date(), None),
    ("gegevens", JSONB(), "'{}'"),
    ("persoonsgegevens", sa.LargeBinary(), None),
    ("bsn_vingerafdruk", sa.Text(), None),
    ("zorgaanbieder_kandidaat", JSONB(), None),
    ("tijdigheid", JSONB(), "'[]'"),
    ("route", sa.Text(), None),
    ("prioriteit", sa.Text(), None),
    ("afhandeldatum", sa.Date(), None),
    ("triage", JSONB(), None),
    ("rapport_uiterlijk", sa.Date(), None),
    ("rapport_ontvangen_op", sa.Date(), None),
    ("rapport_te_laat_gemeld", sa.Boolean(), "false"),
    ("samengevoegd_met", sa.Uuid(), None),
    ("versie", sa.Integer(), "1"),
]


def upgrade() -> None:
    for name, column_type, default in NIEUWE_KOLOMMEN:
        op.add_column(
            "melding", sa.Column(name, column_type, nullable=default is None, server_default=sa.text(default) if default else None)
        )
    op.alter_column("melding", "vestigingsnummer", nullable=True)
    op.alter_column("melding", "zorgaanbieder_id", nullable=True)
    for column in ("gemeente_code", "bsn_vingerafdruk", "ontvangen_op", "afhandeldatum", "rapport_uiterlijk"):
        op.create_index(f"ix_melding_{column}", "melding", [column])
    op.create_table(
        "melding_status",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("melding_id", sa.Uuid(), sa.ForeignKey("melding.id", name="fk_melding_status_melding_id_melding"), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("sinds", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("door", sa.Text(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
    )
    op.create_index("ix_melding_status_melding_id", "melding_status", ["melding_id"])
    op.create_table(
        "mogelijke_dubbel",
        sa.Column("melding_id", sa.Uuid(), sa.ForeignKey("melding.id", name="fk_mogelijke_dubbel_melding_id_melding"), primary_key=True),
        sa.Column("andere_id", sa.Uuid(), sa.ForeignKey("melding.id", name="fk_mogelijke_dubbel_andere_id_melding"), primary_key=True),
        sa.Column("reden", sa.Text(), nullable=False),
    )
    create_audit_table(op)


def downgrade() -> None:
    op.drop_table("audit_trail")
    op.drop_table("mogelijke_dubbel")
    op.drop_table("melding_status")
    for column in ("gemeente_code", "bsn_vingerafdruk", "ontvangen_op", "afhandeldatum", "rapport_uiterlijk"):
        op.drop_index(f"ix_melding_{column}", "melding")
    for name, _, _ in NIEUWE_KOLOMMEN:
        op.drop_column("melding", name)
