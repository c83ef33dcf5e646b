"""Saved queries: SQL kept with an experiment under a name, created or replaced by a PUT.

Whether a PUT created the query or replaced it is decided inside one write transaction; two
racing creates of the same name end as one create and one replace (the primary key refuses
the second insert, which is then retried as a replace).
"""

import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dwsim_metadata import repository as repo
from dwsim_metadata.db import Database
from dwsim_metadata.errors import InvalidError, NotFoundError
from dwsim_metadata.models import SavedQueryRow
from dwsim_shared.contracts.api import SAVED_QUERY_NAME_PATTERN, SavedQuery, SavedQueryBody


class SavedQueries:
    """Mixed into ``MetadataService``: needs its ``db`` and ``clock``."""

    db: Database
    clock: Callable[[], datetime]

    def list_saved_queries(self, experiment: str) -> list[SavedQuery]:
        """By name (ignoring case, then exactly), so a listing reads the same on any database."""
        with self.db.read() as session:
            _experiment_exists(session, experiment)
            rows = repo.list_saved_queries(session, experiment)
        return [_saved(r) for r in sorted(rows, key=lambda r: (r.name.casefold(), r.name))]

    def get_saved_query(self, experiment: str, name: str) -> SavedQuery:
        with self.db.read() as session:
            return _saved(_saved_row(session, experiment, name))

    def put_saved_query(
        self, experiment: str, name: str, body: SavedQueryBody
    ) -> tuple[SavedQuery, bool]:
        """Create or replace; True when created. The name must match the public pattern."""
        if re.fullmatch(SAVED_QUERY_NAME_PATTERN, name) is None:
            raise InvalidError(
                f"saved query name {name!r} is not valid: 1 to 100 letters, digits, spaces, "
                "'_', '.' or '-', starting with a letter or digit"
            )
        for attempt in range(2):
            try:
                return self._put(experiment, name, body)
            except IntegrityError:
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def delete_saved_query(self, experiment: str, name: str) -> None:
        with self.db.write() as session:
            _experiment_exists(session, experiment)
            if not repo.delete_saved_query(session, experiment, name):
                raise NotFoundError(_missing(experiment, name))

    def _put(self, experiment: str, name: str, body: SavedQueryBody) -> tuple[SavedQuery, bool]:
        now = self.clock()
        with self.db.write() as session:
            _experiment_exists(session, experiment)
            row = repo.get_saved_query(session, experiment, name)
            created = row is None
            if row is None:
                row = SavedQueryRow(experiment=experiment, name=name, created_at=now)
                session.add(row)
            row.sql, row.description, row.updated_at = body.sql, body.description, now
            session.flush()
            return _saved(row), created


def _experiment_exists(session: Session, name: str) -> None:
    if repo.get_experiment(session, name) is None:
        raise NotFoundError(f"experiment {name} not found")


def _saved_row(session: Session, experiment: str, name: str) -> SavedQueryRow:
    row = repo.get_saved_query(session, experiment, name)
    if row is None:
        _experiment_exists(session, experiment)
        raise NotFoundError(_missing(experiment, name))
    return row


def _missing(experiment: str, name: str) -> str:
    return f"experiment {experiment} has no saved query {name!r}"


def _saved(row: SavedQueryRow) -> SavedQuery:
    return SavedQuery(
        experiment=row.experiment,
        name=row.name,
        sql=row.sql,
        description=row.description,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
