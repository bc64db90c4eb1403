"""Instruments: referrals (tuchtklacht, voordracht, aangifte bij het OM) recorded as steps of a case.

The instruments' own terms live in besluit.instrumentgegevens (JSONB, validated per instrument by the API):
no column changes for them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verwijzing",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("zaak_id", sa.Uuid(), sa.ForeignKey("handhavingszaak.id", name="fk_verwijzing_zaak_id_handhavingszaak"), nullable=False),
        sa.Column("soort", sa.Text(), nullable=False, comment="VerwijzingSoort: tuchtklacht, voordracht or aangifte bij het OM"),
        sa.Column("datum", sa.Date(), nullable=False, comment="the day the matter was referred"),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("vastgelegd_door", sa.Text(), nullable=False, comment="client id of who recorded it"),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_verwijzing_zaak_id", "verwijzing", ["zaak_id"])


def downgrade() -> None:
    op.drop_table("verwijzing")
