"""SYSTEM$ABORT_TRANSACTION(<transaction id>), as Snowflake has it.

Snowflake aborts the transaction if it is running, rolling it back and releasing its locks,
and answers ``Aborted transaction id: <id>``. Only the user who started it or an account
administrator (the ACCOUNTADMIN role) may; the function is for explicit (multi-statement)
transactions only. Here, with the id SHOW LOCKS / SHOW TRANSACTIONS give (lock_listing.py):

- an idle transaction is rolled back at once, as a detached one is (table_locks.py): its
  locks are released, so a statement waiting for them goes on; its session's next statement
  fails once saying so (625; a ROLLBACK just succeeds);
- a transaction with a statement in flight (waiting for a lock, or running) has that
  statement fail with the same message (625) and is rolled back when it ends: a DuckDB
  connection runs one statement at a time, so the rollback is done on the session's thread;
- the caller's own transaction is rolled back when the calling statement ends, which
  succeeds; the next statement is told;
- an id that is not a running transaction the caller may abort (unknown, committed, rolled
  back, another user's) fails as Snowflake's unknown objects do (2003, "does not exist or
  not authorized"); an autocommit statement's transaction is refused (Snowflake: abort its
  statement instead).

The argument must be a number literal (or a session variable holding one: ``$tid`` is
replaced before the statement is read); anything else is refused as an emulator limit.
"""

from snowflake.connector.errors import ProgrammingError
from sqlglot import exp

from dwsim_snowflake.lock_listing import Viewer
from dwsim_snowflake.refusals import emulator_limit
from dwsim_snowflake.table_locks import Locks, Session

FUNCTION = "SYSTEM$ABORT_TRANSACTION"


def answer_calls(locks: Locks, caller: Session, viewer: Viewer, statement: exp.Expr) -> None:
    """Each SYSTEM$ABORT_TRANSACTION(id) in ``statement`` done, replaced by its answer."""
    for call in list(statement.find_all(exp.Anonymous)):
        if call.name.upper() != FUNCTION:
            continue
        transaction_id = _transaction_id(call)
        answer = abort(locks, caller, viewer, transaction_id)
        parent = call.parent
        literal = exp.Literal.string(answer)
        if isinstance(parent, exp.Select) and call in parent.expressions:
            name = call.sql(dialect="snowflake").upper()
            call.replace(exp.alias_(literal, name, quoted=True))
        else:
            call.replace(literal)


def abort(locks: Locks, caller: Session, viewer: Viewer, transaction_id: int) -> str:
    target = locks.session_of(transaction_id)
    if target is None or not viewer.may_abort(target):
        raise _unknown(transaction_id)
    transaction = target.transaction
    if transaction is not None and transaction.id == transaction_id and not transaction.explicit:
        raise ProgrammingError(
            msg=f"Transaction {transaction_id} is the transaction of one autocommit statement: "
            f"{FUNCTION} aborts explicit (multi-statement) transactions only. Cancel the "
            "statement instead.",
            errno=2,
            sqlstate="0A000",
        )
    message = (
        f"Your transaction {transaction_id} was aborted and rolled back by {FUNCTION} "
        f"(called by session {caller.name}); its locks were released. Run the transaction "
        "again."
    )
    if not locks.abort_transaction(target, transaction_id, message, own=target is caller):
        raise _unknown(transaction_id)
    return f"Aborted transaction id: {transaction_id}"


def _transaction_id(call: exp.Anonymous) -> int:
    args = call.expressions
    arg = args[0] if len(args) == 1 else None
    negative = isinstance(arg, exp.Neg)
    literal = arg.this if isinstance(arg, exp.Neg) else arg
    if isinstance(literal, exp.Cast):  # '123'::NUMBER
        literal = literal.this
    if isinstance(literal, exp.Literal) and literal.this.strip().lstrip("+").isdigit():
        value = int(literal.this)
        return -value if negative else value
    if len(args) != 1:
        raise ProgrammingError(
            msg=f"SQL compilation error:\nerror line 1 at position 7\nInvalid argument types "
            f"for function '{FUNCTION}': {len(args)} arguments, expected 1",
            errno=1044,
            sqlstate="42P13",
        )
    raise emulator_limit(
        f"{FUNCTION} with an argument that is not a number literal",
        "Write the transaction id from SHOW LOCKS / SHOW TRANSACTIONS, or a session variable "
        "holding it ($name).",
    )


def _unknown(transaction_id: int) -> ProgrammingError:
    return ProgrammingError(
        msg=f"SQL execution error:\nTransaction '{transaction_id}' does not exist or not "
        "authorized.",
        errno=2003,
        sqlstate="02000",
    )
