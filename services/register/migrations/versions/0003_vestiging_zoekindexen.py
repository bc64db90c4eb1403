"""Search by gemeente or postcode in KvK order straight from an index: vestiging carries the KvK-nummer.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("vestiging", sa.Column("kvk_nummer", sa.String(8), nullable=True))
    op.execute("UPDATE vestiging v SET kvk_nummer = z.kvk_nummer FROM zorgaanbieder z WHERE z.id = v.zorgaanbieder_id")
    op.alter_column("vestiging", "kvk_nummer", nullable=False)
    op.drop_index("ix_vestiging_gemeente_code", "vestiging")
    op.drop_index("ix_vestiging_postcode", "vestiging")
    op.create_index("ix_vestiging_gemeente_code", "vestiging", ["gemeente_code", "kvk_nummer", "zorgaanbieder_id"])
    op.create_index("ix_vestiging_postcode", "vestiging", ["postcode", "kvk_nummer", "zorgaanbieder_id"])


def downgrade() -> None:
    op.drop_index("ix_vestiging_postcode", "vestiging")
    op.drop_index("ix_vestiging_gemeente_code", "vestiging")
    op.create_index("ix_vestiging_postcode", "vestiging", ["postcode"])
    op.create_index("ix_vestiging_gemeente_code", "vestiging", ["gemeente_code"])
    op.drop_column("vestiging", "kvk_nummer")
