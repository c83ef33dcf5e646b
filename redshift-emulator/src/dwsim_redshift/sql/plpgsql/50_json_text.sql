-- JSON functions on text documents: IS_VALID_JSON[_ARRAY], JSON_ARRAY_LENGTH,
-- JSON_EXTRACT_PATH_TEXT, JSON_EXTRACT_ARRAY_ELEMENT_TEXT.
CREATE OR REPLACE FUNCTION dwsim_rs.json_or_null(doc text) RETURNS json
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
    RETURN doc::json;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.is_valid_json(doc text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN doc IS NULL THEN NULL
                ELSE coalesce(json_typeof(dwsim_rs.json_or_null(doc)) = 'object', false) END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.is_valid_json_array(doc text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN doc IS NULL THEN NULL
                ELSE coalesce(json_typeof(dwsim_rs.json_or_null(doc)) = 'array', false) END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.json_extract_path_text(doc text, path text[],
    null_if_invalid boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    parsed json := dwsim_rs.json_or_null(doc);
BEGIN
    IF doc IS NULL OR doc = '' THEN
        RETURN NULL;
    END IF;
    IF parsed IS NULL THEN
        IF null_if_invalid THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'JSON parsing error: the value is not valid JSON: %', left(doc, 100)
            USING ERRCODE = '22P02';
    END IF;
    RETURN json_extract_path_text(parsed, VARIADIC path);
END $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.json_extract_array_element_text(doc text, pos integer,
    null_if_invalid boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    parsed json := dwsim_rs.json_or_null(doc);
BEGIN
    IF doc IS NULL OR doc = '' THEN
        RETURN NULL;
    END IF;
    IF parsed IS NULL OR json_typeof(parsed) <> 'array' THEN
        IF null_if_invalid THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'JSON parsing error: the value is not a valid JSON array: %',
            left(doc, 100) USING ERRCODE = '22P02';
    END IF;
    RETURN parsed ->> pos;
END $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.json_array_length(doc text,
    null_if_invalid boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    parsed json := dwsim_rs.json_or_null(doc);
BEGIN
    IF doc IS NULL THEN
        RETURN NULL;
    END IF;
    IF parsed IS NULL OR json_typeof(parsed) <> 'array' THEN
        IF null_if_invalid THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'JSON parsing error: the value is not a valid JSON array: %',
            left(doc, 100) USING ERRCODE = '22P02';
    END IF;
    RETURN json_array_length(parsed);
END $fn$;
