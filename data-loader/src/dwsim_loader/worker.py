"""The loader's Celery app: ``celery -A dwsim_loader.worker worker -Q dwsim.loader -c 1``.

Logs are JSON lines (``DWSIM_LOG_JSON``) with the job and experiment on each line; Celery's own
logging setup is replaced by ours.
"""

import logging

from celery.signals import setup_logging

from dwsim_loader.config import get_settings
from dwsim_shared.celery_app import make_celery
from dwsim_shared.logs import configure_logging

app = make_celery("dwsim-loader", get_settings())


@setup_logging.connect
def _logging(**_kwargs: object) -> None:
    settings = get_settings()
    configure_logging("data-loader", settings.log_level, settings.log_json)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per metadata call is noise


from dwsim_loader import tasks  # noqa: E402,F401 - registers the tasks on the app
