"""dw-sim on one machine: ``dwsim up`` (``make up``) runs the whole stack with merged logs,
``--detach`` in the background (``make demo``), ``dwsim down`` stops it, ``dwsim demo`` shows
it end to end. ``services.py`` is the table of processes, ``supervisor.py`` runs them."""
