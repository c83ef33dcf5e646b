"""CREATE USER name PASSWORD '...' and DROP USER [IF EXISTS] name[, ...]: through the helper
functions dwsim_rs.create_user/drop_user (sql/plpgsql/14_users.sql), which the client role may
call though it cannot create roles itself. A user made so logs in to the emulator as itself
(see server.py): it sees only what is granted to it, as a Redshift user does.

Only these plain forms are rewritten; CREATE USER with other options goes to PostgreSQL as
before (and fails there unless the session may create roles).
"""

import re

_NAME = r'(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_CREATE = re.compile(
    rf"^\s*CREATE\s+USER\s+({_NAME})\s+(?:WITH\s+)?PASSWORD\s+(?:'((?:[^']|'')*)'|(DISABLE))"
    r"\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_DROP = re.compile(
    rf"^\s*DROP\s+USER\s+(IF\s+EXISTS\s+)?({_NAME}(?:\s*,\s*{_NAME})*)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_EACH_NAME = re.compile(_NAME)


def _name(token: str) -> str:
    """Redshift folds unquoted names to lower case."""
    if token.startswith('"'):
        return token[1:-1].replace('""', '"')
    return token.lower()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _do(body: str) -> str:
    return f"DO $dwsim_user$ BEGIN {body} END $dwsim_user$"


def user_statement(statement: str, words: tuple[str, ...]) -> str | None:
    """The helper-function form of a plain CREATE USER / DROP USER; None for anything else."""
    if words[:2] == ("CREATE", "USER") and (m := _CREATE.match(statement)):
        password = "NULL" if m.group(3) else _literal(m.group(2).replace("''", "'"))
        return _do(f"PERFORM dwsim_rs.create_user({_literal(_name(m.group(1)))}, {password});")
    if words[:2] == ("DROP", "USER") and (m := _DROP.match(statement)):
        if_exists = "true" if m.group(1) else "false"
        calls = " ".join(
            f"PERFORM dwsim_rs.drop_user({_literal(_name(token))}, {if_exists});"
            for token in _EACH_NAME.findall(m.group(2))
        )
        return _do(calls)
    return None
