"""Redshift's table of date and time parts, with the abbreviations its documentation accepts.

Source: "Date parts for date or timestamp functions" in the Redshift Database Developer Guide.
'm' is minute there (not month), 'w' is week: the helper SQL is generated from this table so that
DATEADD, DATEDIFF, DATE_PART and DATE_TRUNC read the same names.
"""

DATEPARTS: dict[str, tuple[str, ...]] = {
    "millennium": ("millennium", "millennia", "mil", "mils"),
    "century": ("century", "centuries", "c", "cent", "cents"),
    "decade": ("decade", "decades", "dec", "decs"),
    "epoch": ("epoch",),
    "year": ("year", "years", "y", "yr", "yrs"),
    "quarter": ("quarter", "quarters", "qtr", "qtrs"),
    "month": ("month", "months", "mon", "mons"),
    "week": ("week", "weeks", "w"),
    "dow": ("dayofweek", "dow", "dw", "weekday"),
    "doy": ("dayofyear", "doy", "dy", "yearday"),
    "day": ("day", "days", "d"),
    "hour": ("hour", "hours", "h", "hr", "hrs"),
    "minute": ("minute", "minutes", "m", "min", "mins"),
    "second": ("second", "seconds", "s", "sec", "secs"),
    "millisecond": (
        "millisecond",
        "milliseconds",
        "ms",
        "msec",
        "msecs",
        "msecond",
        "mseconds",
        "millisec",
        "millisecs",
        "millisecon",
    ),
    "microsecond": (
        "microsecond",
        "microseconds",
        "microsec",
        "microsecs",
        "usecond",
        "useconds",
        "us",
        "usec",
        "usecs",
    ),
    "timezone": ("timezone",),
    "timezone_hour": ("timezone_hour",),
    "timezone_minute": ("timezone_minute",),
}

ALIASES: dict[str, str] = {
    alias: canonical for canonical, aliases in DATEPARTS.items() for alias in aliases
}
