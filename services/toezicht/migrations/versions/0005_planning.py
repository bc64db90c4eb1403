"""Inspectors, absences, planning periods and plans (with why each activity was chosen or left out).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the change that adds these tables


def downgrade() -> None:
    pass
