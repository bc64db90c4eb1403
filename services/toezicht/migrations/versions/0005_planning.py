"""Inspectors, absences, planning periods and plans (with why each activity was chosen or left out).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _planning_fk() -> sa.Column:
    return sa.Column("planning_id", sa.Uuid(), sa.ForeignKey("planning.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "inspecteur",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("weergavenaam", sa.Text(), nullable=False),
        sa.Column("team", sa.Text(), nullable=False),
        sa.Column("sectoren", JSONB(), nullable=False),
        sa.Column("uren_per_week", sa.Numeric(5, 2), nullable=False),
        sa.Column("afwezigheden", JSONB(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
    )
    op.create_index("ix_inspecteur_team", "inspecteur", ["team"])
    op.create_table(
        "planning",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("periode_start", sa.Date(), nullable=False),
        sa.Column("weken", sa.Integer(), nullable=False),
        sa.Column("team", sa.Text(), nullable=True),
        sa.Column("vorige_id", sa.Uuid(), sa.ForeignKey("planning.id"), nullable=True),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("aselect_aandeel", sa.Float(), nullable=False),
        sa.Column("quota", JSONB(), nullable=False),
        sa.Column("normen_versie", sa.Text(), nullable=False),
        sa.Column("normen_hash", sa.Text(), nullable=False),
        sa.Column("doelwaarde", sa.Float(), nullable=False),
        sa.Column("greedy_doelwaarde", sa.Float(), nullable=False),
        sa.Column("lp_grens", sa.Float(), nullable=False),
        sa.Column("discretionaire_uren", sa.Float(), nullable=False),
        sa.Column("aselect_doel_uren", sa.Float(), nullable=False),
        sa.Column("aselect_uren", sa.Float(), nullable=False),
        sa.Column("aselect_gerealiseerd", sa.Float(), nullable=False),
        sa.Column("quota_resultaat", JSONB(), nullable=False),
        sa.Column("reparatie", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("aangemaakt_door", sa.Text(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("vastgesteld_door", sa.Text(), nullable=True),
        sa.Column("vastgesteld_op", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "planning_activiteit",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        _planning_fk(),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.Text(), nullable=False),
        sa.Column("sector", sa.Text(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("gepland_op", sa.Date(), nullable=False),
        sa.Column("inspecteurs", JSONB(), nullable=False),
        sa.Column("selectieroute", sa.Text(), nullable=False),
        sa.Column("selectiereden", sa.Text(), nullable=False),
        sa.Column("uren", sa.Float(), nullable=False),
        sa.Column("waarde", sa.Float(), nullable=False),
        sa.Column("uiterlijk", sa.Date(), nullable=True),
        sa.Column("themas", JSONB(), nullable=False),
    )
    op.create_table(
        "planning_weggelaten",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        _planning_fk(),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
    )
    op.create_table(
        "planning_onhaalbaar",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        _planning_fk(),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.Text(), nullable=False),
        sa.Column("triggers", JSONB(), nullable=False),
        sa.Column("uiterlijk", sa.Date(), nullable=True),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
    )
    for table in ("planning_activiteit", "planning_weggelaten", "planning_onhaalbaar"):
        op.create_index(f"ix_{table}_planning_id", table, ["planning_id"])


def downgrade() -> None:
    for table in ("planning_onhaalbaar", "planning_weggelaten", "planning_activiteit", "planning", "inspecteur"):
        op.drop_table(table)
