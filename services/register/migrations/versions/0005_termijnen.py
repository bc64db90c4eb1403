"""The platform's stored terms (termijnbewaking), as every service has them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from alembic import op

from zorgtoezicht.termijnbewaking import create_termijn_table

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_termijn_table(op)


def downgrade() -> None:
    op.drop_table("termijn")
