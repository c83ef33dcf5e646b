-- REGEXP_* with Redshift's parameters ('p' for Perl syntax is PostgreSQL's own, 'e' extracts).
CREATE OR REPLACE FUNCTION dwsim_rs.regexp_flags(parameters text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT translate(coalesce(parameters, ''), 'pe', '')
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.regexp_substr(source text, pattern text,
    start_pos integer DEFAULT 1, occurrence integer DEFAULT 1, parameters text DEFAULT '')
RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT coalesce(regexp_substr(source, pattern, start_pos, occurrence,
                                  dwsim_rs.regexp_flags(parameters),
                                  CASE WHEN strpos(coalesce(parameters, ''), 'e') > 0
                                       THEN 1 ELSE 0 END), '')
    WHERE source IS NOT NULL AND pattern IS NOT NULL
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.regexp_count(source text, pattern text,
    start_pos integer DEFAULT 1, parameters text DEFAULT '')
RETURNS integer LANGUAGE sql IMMUTABLE AS $fn$
    SELECT regexp_count(source, pattern, start_pos, dwsim_rs.regexp_flags(parameters))
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.regexp_instr(source text, pattern text,
    start_pos integer DEFAULT 1, occurrence integer DEFAULT 1, option integer DEFAULT 0,
    parameters text DEFAULT '')
RETURNS integer LANGUAGE sql IMMUTABLE AS $fn$
    SELECT regexp_instr(source, pattern, start_pos, occurrence, option,
                        dwsim_rs.regexp_flags(parameters),
                        CASE WHEN strpos(coalesce(parameters, ''), 'e') > 0 THEN 1 ELSE 0 END)
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.regexp_replace(source text, pattern text,
    replace_string text DEFAULT '', start_pos integer DEFAULT 1, parameters text DEFAULT '')
RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT regexp_replace(source, pattern, replace_string, start_pos, 0,
                          dwsim_rs.regexp_flags(parameters))
$fn$;
