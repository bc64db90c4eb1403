"""The platform's audit trail and stored terms (termijnbewaking), as every service has them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from alembic import op

from zorgtoezicht.audit import create_audit_table
from zorgtoezicht.termijnbewaking import create_termijn_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_table(op)
    create_termijn_table(op)


def downgrade() -> None:
    op.drop_table("termijn")
    op.drop_table("audit_trail")
