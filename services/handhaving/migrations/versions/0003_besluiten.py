"""Handhavingszaken and besluiten (ZGW shape) with the Awb procedure, objections and their history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the change that adds these tables


def downgrade() -> None:
    pass
