"""Experiment names are unique ignoring case: a unique index on lower(name).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    twins = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(name), count(*) FROM experiments GROUP BY lower(name) "
                "HAVING count(*) > 1"
            )
        )
        .all()
    )
    if twins:
        names = ", ".join(name for name, _ in twins)
        raise RuntimeError(
            "the metadata database holds experiments whose names differ only in case "
            f"({names}); delete or rename all but one of each (dwsim experiment delete), "
            "then start the metadata service again"
        )
    op.create_index(
        "ux_experiments_name_folded", "experiments", [sa.text("lower(name)")], unique=True
    )


def downgrade() -> None:
    op.drop_index("ux_experiments_name_folded", table_name="experiments")
