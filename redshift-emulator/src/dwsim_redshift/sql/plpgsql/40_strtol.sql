-- STRTOL(string, base): a number written in base 2 to 36.
CREATE OR REPLACE FUNCTION dwsim_rs.strtol(num_string text, base integer) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    digits text := lower(btrim(num_string));
    negative boolean := false;
    result numeric := 0;
    d integer;
BEGIN
    IF num_string IS NULL OR base IS NULL THEN
        RETURN NULL;
    END IF;
    IF base < 2 OR base > 36 THEN
        RAISE EXCEPTION 'STRTOL: base % is out of range (2 to 36)', base USING ERRCODE = '22023';
    END IF;
    IF left(digits, 1) IN ('-', '+') THEN
        negative := left(digits, 1) = '-';
        digits := substr(digits, 2);
    END IF;
    IF base = 16 AND left(digits, 2) = '0x' THEN
        digits := substr(digits, 3);
    END IF;
    FOR i IN 1..length(digits) LOOP
        d := strpos('0123456789abcdefghijklmnopqrstuvwxyz', substr(digits, i, 1)) - 1;
        IF d < 0 OR d >= base THEN
            RAISE EXCEPTION 'STRTOL: "%" is not a number in base %', num_string, base
                USING ERRCODE = '22P02';
        END IF;
        result := result * base + d;
    END LOOP;
    IF negative THEN
        result := -result;
    END IF;
    RETURN result::bigint;
END $fn$;
