"""Initial tables: experiments, runs, parts, jobs, job_tables.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# frozen here (not imported from the models) so this migration never changes
ACTIVE_EXCLUSIVE = (
    "status IN ('queued', 'running') AND kind IN ('drop', 'generate', 'load', 'reset')"
)


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "experiments",
        sa.Column("name", sa.String(255), primary_key=True),
        sa.Column("warehouse", sa.String(32), nullable=False),
        sa.Column("schema", sa.JSON(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column(
            "experiment",
            sa.String(255),
            sa.ForeignKey("experiments.name", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("chunk_rows", sa.BigInteger(), nullable=False),
        sa.Column("rows_requested", sa.JSON(), nullable=False),
        sa.Column("timings", sa.JSON(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        _ts("created_at"),
        _ts("finished_at", nullable=True),
    )
    op.create_index("ix_runs_experiment_created", "runs", ["experiment", "created_at"])
    op.create_table(
        "parts",
        sa.Column(
            "run_id",
            sa.String(255),
            sa.ForeignKey("runs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("table", sa.String(255), primary_key=True),
        sa.Column("chunk", sa.Integer(), primary_key=True),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("experiment", sa.String(255), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("stage", sa.String(32), nullable=True),
        _ts("stage_started_at", nullable=True),
        sa.Column("run_id", sa.String(255), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("traceback", sa.Text(), nullable=True),
        sa.Column("timings", sa.JSON(), nullable=False),
        _ts("created_at"),
        _ts("started_at", nullable=True),
        _ts("finished_at", nullable=True),
    )
    op.create_index("ix_jobs_experiment_created", "jobs", ["experiment", "created_at"])
    op.create_index(
        "ix_jobs_one_active",
        "jobs",
        ["experiment"],
        unique=True,
        sqlite_where=sa.text(ACTIVE_EXCLUSIVE),
        postgresql_where=sa.text(ACTIVE_EXCLUSIVE),
    )
    op.create_table(
        "job_tables",
        sa.Column(
            "job_id", sa.Uuid(), sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("table", sa.String(255), primary_key=True),
        sa.Column("rows_total", sa.BigInteger(), nullable=True),
        sa.Column("rows_loaded", sa.BigInteger(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("job_tables")
    op.drop_index("ix_jobs_one_active", table_name="jobs")
    op.drop_index("ix_jobs_experiment_created", table_name="jobs")
    op.drop_table("jobs")
    op.drop_table("parts")
    op.drop_index("ix_runs_experiment_created", table_name="runs")
    op.drop_table("runs")
    op.drop_table("experiments")
