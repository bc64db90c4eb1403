"""Name search through a word index: each normalised word of a provider's names, and the vocabulary.

A trigram index over whole names is slow at national scale because common words ("fysiotherapie",
"zorg") match tens of thousands of providers. Searching the much smaller vocabulary for the words
closest to each query word, then reading the providers of the rarest one, stays fast.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zoekwoord",
        sa.Column("woord", sa.Text(), primary_key=True),
        sa.Column("aantal", sa.Integer(), nullable=False, comment="providers with this word (for rarity; may lag slightly)"),
    )
    op.execute("CREATE INDEX ix_zoekwoord_woord_trgm ON zoekwoord USING gin (woord gin_trgm_ops)")
    op.create_table(
        "zorgaanbieder_woord",
        sa.Column("woord", sa.Text(), nullable=False),
        sa.Column(
            "zorgaanbieder_id",
            sa.Uuid(),
            sa.ForeignKey("zorgaanbieder.id", name="fk_zorgaanbieder_woord_zorgaanbieder_id_zorgaanbieder", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("woord", "zorgaanbieder_id", name="pk_zorgaanbieder_woord"),
    )
    op.create_index("ix_zorgaanbieder_woord_zorgaanbieder_id", "zorgaanbieder_woord", ["zorgaanbieder_id"])
    op.execute("""
        INSERT INTO zorgaanbieder_woord (woord, zorgaanbieder_id)
        SELECT DISTINCT w, id FROM zorgaanbieder, unnest(string_to_array(zoeknaam, ' ')) AS w WHERE length(w) >= 2
    """)
    op.execute("INSERT INTO zoekwoord SELECT woord, count(*) FROM zorgaanbieder_woord GROUP BY woord")
    op.drop_index("ix_zorgaanbieder_zoeknaam_trgm", "zorgaanbieder")


def downgrade() -> None:
    op.execute("CREATE INDEX ix_zorgaanbieder_zoeknaam_trgm ON zorgaanbieder USING gist (zoeknaam gist_trgm_ops)")
    op.drop_table("zorgaanbieder_woord")
    op.drop_table("zoekwoord")
