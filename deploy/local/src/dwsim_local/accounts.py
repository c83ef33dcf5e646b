"""Running a child process as another system user (PostgreSQL will not run as root)."""

import pwd


def run_as(user: str | None) -> dict:
    """Popen arguments that drop to ``user``: its uid, its group, no supplementary groups."""
    if not user:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
