"""Case status: a handhavingszaak is open until it is closed (afgesloten, with its moment).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing cases are open: none was ever closed before this column
    op.add_column("handhavingszaak", sa.Column("status", sa.Text(), server_default=sa.text("'open'"), nullable=False))
    op.add_column("handhavingszaak", sa.Column("afgesloten_op", sa.DateTime(timezone=True), nullable=True))
    # the list of cases: newest first per status (GET /handhavingszaken)
    op.create_index("ix_handhavingszaak_geopend_op", "handhavingszaak", ["geopend_op", "id"])


def downgrade() -> None:
    op.drop_index("ix_handhavingszaak_geopend_op", table_name="handhavingszaak")
    op.drop_column("handhavingszaak", "afgesloten_op")
    op.drop_column("handhavingszaak", "status")
