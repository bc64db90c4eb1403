"""Provider facts in the projection (sector, status) and the gemeente code of vestigingen.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bekende_zorgaanbieder",
        sa.Column("zorgaanbieder_id", sa.Uuid(), primary_key=True),
        sa.Column("kvk_nummer", sa.String(8), nullable=False),
        sa.Column("soort", sa.Text(), nullable=False),
        sa.Column("sectoren", ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
    )
    op.add_column("bekende_vestiging", sa.Column("gemeente_code", sa.String(6), nullable=True))


def downgrade() -> None:
    op.drop_column("bekende_vestiging", "gemeente_code")
    op.drop_table("bekende_zorgaanbieder")
