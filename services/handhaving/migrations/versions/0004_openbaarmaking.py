"""Openbaarmaking of besluiten: the mandatory publication of measures.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the change that adds these tables


def downgrade() -> None:
    pass
