"""Name search through word pairs: every pair of a provider's search words, so the providers carrying two
query words are read from one index range instead of intersecting two posting lists (a common word such as
"psychotherapie" has tens of thousands of providers; the pair with a surname has a handful).

No foreign key on purpose (see models.ZorgaanbiederWoordpaar): the rows are derived from zorgaanbieder_woord,
written in the same transaction, and providers are never deleted.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zorgaanbieder_woordpaar",
        sa.Column("paar", sa.Text(), nullable=False),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("paar", "zorgaanbieder_id", name="pk_zorgaanbieder_woordpaar"),
    )
    # The same pairs as zoeken_normalisatie.woordparen: the smaller word first in code-point order.
    op.execute("""
        INSERT INTO zorgaanbieder_woordpaar (paar, zorgaanbieder_id)
        SELECT a.woord || ' ' || b.woord, a.zorgaanbieder_id
        FROM zorgaanbieder_woord a JOIN zorgaanbieder_woord b
          ON b.zorgaanbieder_id = a.zorgaanbieder_id AND a.woord COLLATE "C" < b.woord COLLATE "C"
    """)


def downgrade() -> None:
    op.drop_table("zorgaanbieder_woordpaar")
