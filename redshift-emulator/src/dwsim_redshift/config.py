"""Settings for this service: DWSIM_* environment variables over the shared defaults."""

from pathlib import Path

from dwsim_shared.settings import DwsimSettings


class Settings(DwsimSettings):
    # The emulator listens on redshift_host:redshift_port (shared settings: 127.0.0.1:5439) and
    # runs every client session on its own connection to postgres_url's server, logged in as
    # redshift_client_role (no superuser: clients cannot reach the host; see backend/roles.py).
    redshift_tls: bool = True  # accept SSLRequest with a local CA (needed by redshift_connector)
    redshift_check_password: bool = False  # if set, clients must log in as redshift_user/password
    redshift_log_level: str = "INFO"
    redshift_client_role: str = "dwsim_user"
    redshift_query_log_rows: int = 10_000  # stl_query / sys_query_history keep the newest rows

    @property
    def tls_dir(self) -> Path:
        return Path(self.data_dir) / "redshift-emulator" / "tls"


def get_settings() -> Settings:
    return Settings()
