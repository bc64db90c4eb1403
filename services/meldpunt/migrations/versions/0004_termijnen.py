"""Stored terms (termijnbewaking): report terms move from the melding's flag to the platform's term table.

Every melding with a report term gets its term: running when no report came and none was announced late,
``verstreken`` when CalamiteitenrapportTeLaat was announced already (so it never fires again), ``vervallen``
when the report arrived or the melding was merged. The flag ``rapport_te_laat_gemeld`` goes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from zorgtoezicht.termijnbewaking import create_termijn_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_termijn_table(op)
    op.execute(
        """
        INSERT INTO termijn (aggregaat_id, soort, uiterlijk, status, geregistreerd_op)
        SELECT id, 'calamiteitenrapport', rapport_uiterlijk,
               CASE WHEN rapport_te_laat_gemeld THEN 'verstreken'
                    WHEN rapport_ontvangen_op IS NOT NULL OR samengevoegd_met IS NOT NULL THEN 'vervallen'
                    ELSE 'lopend' END,
               ontvangen_op
        FROM melding WHERE rapport_uiterlijk IS NOT NULL
        """
    )
    op.drop_column("melding", "rapport_te_laat_gemeld")


def downgrade() -> None:
    op.add_column("melding", sa.Column("rapport_te_laat_gemeld", sa.Boolean(), nullable=False, server_default=sa.text("false")))
    op.execute(
        """
        UPDATE melding SET rapport_te_laat_gemeld = true
        WHERE id IN (SELECT aggregaat_id FROM termijn WHERE soort = 'calamiteitenrapport' AND status = 'verstreken')
        """
    )
    op.drop_table("termijn")
