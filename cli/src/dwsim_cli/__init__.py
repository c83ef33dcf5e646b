"""The ``dwsim`` command: the parser, and the subcommands packages add by entry point."""
