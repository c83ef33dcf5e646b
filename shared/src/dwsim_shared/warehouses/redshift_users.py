"""Each Redshift experiment's own database user: users' SQL runs logged in as it.

The adapter's configured user (the admin: it creates schemas, loads, drops) makes, when it
creates an experiment's schema, a user that may use that schema and its tables and nothing of
any other experiment; the query path logs in as that user, so a statement naming another
experiment's schema fails with Redshift's "permission denied for schema ...", and no ``SET``
in the user's SQL can undo the login. The user's password is derived from the admin's, so every
service configured with the same warehouse credentials agrees on it without storing it.
"""

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.warehouses import redshift_driver
from dwsim_shared.warehouses.base import QueryError, WarehouseError, WarehouseUnavailableError
from dwsim_shared.warehouses.connections import RedshiftConnection
from dwsim_shared.warehouses.redshift_driver import message
from dwsim_shared.warehouses.typemap import ident, warehouse_name

USER_PREFIX = "dwsim_exp_"
MAX_NAME = 63  # PostgreSQL's (and so the emulator's) identifier length; Redshift allows 127


@dataclass(frozen=True)
class ExperimentUser:
    name: str
    password: str

    @property
    def quoted(self) -> str:
        return ident(self.name, Warehouse.REDSHIFT)

    def connection(self, admin: RedshiftConnection) -> RedshiftConnection:
        """Where the user's SQL logs in: the admin's warehouse, as this user."""
        return admin.model_copy(update={"user": self.name, "password": self.password})

    def create_sql(self) -> str:
        return f"CREATE USER {self.quoted} PASSWORD '{self.password}'"

    def drop_sql(self) -> str:
        return f"DROP USER IF EXISTS {self.quoted}"

    def grant_sql(self, schema: str) -> list[str]:
        """What the user may do: use and create in its schema, read and write its tables (the
        experiment's tables stay the admin's: the user cannot drop or alter them)."""
        return [
            f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {self.quoted}",
            f"GRANT ALL ON ALL TABLES IN SCHEMA {schema} TO {self.quoted}",
        ]


def experiment_user(experiment_name: str, admin: RedshiftConnection) -> ExperimentUser:
    schema = warehouse_name(experiment_name, Warehouse.REDSHIFT)
    name = f"{USER_PREFIX}{schema}"
    digest = hmac.new(admin.password.encode(), f"dwsim-experiment:{schema}".encode(), "sha256")
    if len(name) > MAX_NAME:  # long names: a prefix and a hash keep them apart
        short = hashlib.sha256(schema.encode()).hexdigest()[:12]
        name = f"{name[: MAX_NAME - 13]}_{short}"
    # Redshift: 8 to 64 characters, an upper case letter, a lower case letter and a digit
    return ExperimentUser(name=name, password=f"Dw1{digest.hexdigest()[:40]}")


class ExperimentLogins:
    """The Redshift adapter's part that makes experiment users and logs in as them (it needs
    the adapter's ``config``, ``_connect`` (the admin's session), ``_transaction``, ``_rollback``
    and ``_schema``)."""

    warehouse = Warehouse.REDSHIFT
    config: RedshiftConnection
    _admin: Any
    _conn: Any
    _conn_user: str | None

    def _user(self, experiment: Experiment) -> ExperimentUser:
        return experiment_user(experiment.name, self.config)

    def _ensure_user(self, experiment: Experiment) -> list[str]:
        """Make the experiment's user if it does not exist; the statements granting it its
        schema (run them once the schema's tables exist)."""
        import psycopg2

        user = self._user(experiment)
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_user WHERE usename = %s", (user.name,))
                if cur.fetchone() is None:
                    cur.execute(user.create_sql())
            conn.commit()
        except psycopg2.Error as exc:
            self._rollback()
            raise WarehouseError(
                f"creating the user of experiment {experiment.name} failed: {message(exc)}",
                warehouse=self.warehouse,
            ) from None
        return user.grant_sql(self._schema(experiment))

    def user_connection(self, experiment: Experiment) -> RedshiftConnection:
        """How to log in as the experiment's user (made first if missing), for tools that
        run a user's SQL with their own driver (check-sql)."""
        self._connect_as_user(experiment)
        self._close_user()
        return self._user(experiment).connection(self.config)

    def _connect_as_user(self, experiment: Experiment) -> Any:
        """The session the user's SQL runs in, logged in as the experiment's user (made, and
        granted its schema, first if an older version of dwsim created the schema)."""
        user = self._user(experiment)
        if self._conn is not None and not self._conn.closed and self._conn_user == user.name:
            return self._conn
        self._close_user()
        conn = self._login(user)
        if conn is None:
            self._check_materialized(experiment)
            self._transaction(self._ensure_user(experiment), what="granting the user its schema")
            conn = self._login(user)
        if conn is None:
            raise QueryError(
                f"the warehouse did not log in experiment {experiment.name}'s user {user.name}",
                warehouse=self.warehouse,
            )
        self._conn, self._conn_user = conn, user.name
        return conn

    def _login(self, user: ExperimentUser) -> Any:
        """A connection as ``user``, or None if the warehouse refused it or logged in someone
        else (an emulator maps unknown users to its default role)."""
        try:
            conn = redshift_driver.connect(user.connection(self.config))
        except WarehouseUnavailableError:
            if self._admin is None:  # is the warehouse there at all? (raises if not)
                self._connect()
            return None
        with conn.cursor() as cur:
            cur.execute("SELECT current_user")
            who = cur.fetchone()[0]
        conn.rollback()
        if who != user.name:
            conn.close()
            return None
        return conn

    def _check_materialized(self, experiment: Experiment) -> None:
        schema = warehouse_name(experiment.name, self.warehouse)
        with self._connect().cursor() as cur:
            cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,))
            found = cur.fetchone() is not None
        self._admin.rollback()
        if not found:
            raise QueryError(
                f"experiment {experiment.name} is not materialized (no schema {schema})",
                warehouse=self.warehouse,
            )

    def _close_user(self) -> None:
        conn, self._conn, self._conn_user = self._conn, None, None
        if conn is not None and not conn.closed:
            conn.close()
