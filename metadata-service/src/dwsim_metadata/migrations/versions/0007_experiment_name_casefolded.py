"""Experiment names are unique ignoring case on every backend: a column ``name_folded`` holding
``fold_name(name)`` (Python's case folding, not the database's lower(), which on SQLite folds
ASCII letters only) replaces the unique index on lower(name).

The column holds what ``dwsim_shared.contracts.identifiers.fold_name`` returns; a change to
that function needs a migration that fills the column again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dwsim_shared.contracts.identifiers import fold_name

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ux_experiments_name_folded"


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    # The column first: on PostgreSQL adding it locks the table until the commit, so no row
    # comes in unfilled. SQLite adds a NOT NULL column only with a default, and taking the
    # default off would mean rebuilding the table, whose DROP deletes every run, part and saved
    # query (ON DELETE CASCADE, with foreign keys on): there the column keeps DEFAULT ''.
    op.add_column(
        "experiments",
        sa.Column(
            "name_folded",
            sa.Text(),
            nullable=not sqlite,
            server_default=sa.text("''") if sqlite else None,
        ),
    )
    names = bind.execute(sa.text("SELECT name FROM experiments")).scalars().all()
    by_fold: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_fold[fold_name(name)].append(name)
    twins = sorted(sorted(group) for group in by_fold.values() if len(group) > 1)
    if twins:
        listed = ", ".join(" and ".join(group) for group in twins)
        raise RuntimeError(
            "the metadata database holds experiments whose names differ only in case "
            f"({listed}); delete or rename all but one of each (dwsim experiment delete), "
            "then start the metadata service again"
        )
    fill = sa.text("UPDATE experiments SET name_folded = :folded WHERE name = :name")
    if names:
        bind.execute(fill, [{"folded": fold, "name": name} for fold, (name,) in by_fold.items()])
    if not sqlite:
        op.alter_column("experiments", "name_folded", nullable=False)
    op.drop_index(INDEX, table_name="experiments")  # the one on lower(name), from 0005
    op.create_index(INDEX, "experiments", ["name_folded"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="experiments")
    op.drop_column("experiments", "name_folded")
    op.create_index(INDEX, "experiments", [sa.text("lower(name)")], unique=True)
