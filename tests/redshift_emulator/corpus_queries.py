"""Redshift string, aggregate, SUPER and statement-shape cases (see corpus.py)."""

import hashlib
from decimal import Decimal

from tests.redshift_emulator.corpus import Case

PARTS = (
    "create table part (partname varchar, manufacturer varchar, quality int, price decimal(12, 2))",
    "insert into part values ('P1', 'M1', 2, 10.00), ('P1', 'M2', null, 9.00), "
    "('P1', 'M3', 1, 12.00), ('P2', 'M1', 1, 2.50), ('P2', 'M2', 1, 3.50), "
    "('P3', 'M4', 1, null), ('P4', 'M4', null, null)",
)
SALES = (
    "create table sales (id int, region varchar(10), seller varchar(10), qty int) "
    "diststyle key distkey(region) compound sortkey(id)",
    "insert into sales values (1, 'east', 'ann', 10), (2, 'east', 'bob', 30), "
    "(3, 'west', 'cy', 5), (4, 'west', 'ann', 15), (5, 'west', 'bob', 20)",
)

SHA256_AMAZON_REDSHIFT = hashlib.sha256(b"Amazon Redshift").hexdigest()
SHA1_AMAZON_REDSHIFT = hashlib.sha1(b"Amazon Redshift").hexdigest()

STRING_CASES = [
    Case(
        "charindex-strpos-len",
        "select charindex('dog', 'fish'), charindex('fish', 'dogfish'), "
        "strpos('dogfish', 'fish'), len('français'), textlen('abc')",
        [(0, 4, 4, 8, 3)],
        "docs: CHARINDEX, STRPOS, LEN functions",
    ),
    Case(
        "concat-with-null-is-null",
        "select concat('December 25, ', '2008'), concat('a', null) is null, ('a' || null) is null",
        [("December 25, 2008", True, True)],
        "docs: CONCAT function (NULL if either argument is NULL)",
    ),
    Case(
        "split-part-btrim-chr-left-right",
        "select split_part('abc$def$ghi', '$', 2), btrim('    abc    '), "
        "btrim('xyzaxyzbxyzcxyz', 'xyz'), chr(65), left('chicago', 3), right('chicago', 3)",
        [("def", "abc", "axyzbxyzc", "A", "chi", "ago")],
        "docs: SPLIT_PART, BTRIM, CHR, LEFT and RIGHT functions",
    ),
    Case(
        "strtol",
        "select strtol('0xf', 16), strtol('abcd1234', 16), strtol('1234567', 10), "
        "strtol('110', 2), strtol('-ff', 16)",
        [(15, 2882343476, 1234567, 6, -255)],
        "docs: STRTOL function",
    ),
    Case(
        "regexp-count-substr-instr",
        "select regexp_count('abcdefghijklmnopqrstuvwxyz', '[a-z]{3}'), "
        "regexp_substr('user@example.com', '@[^.]*'), regexp_substr('abc', 'z'), "
        "regexp_substr('KEY=val', 'key=(.*)', 1, 1, 'ie'), "
        "regexp_instr('The Fox', 'fox', 1, 1, 0, 'i')",
        [(8, "@example", "", "val", 5)],
        "docs: REGEXP_COUNT, REGEXP_SUBSTR, REGEXP_INSTR functions",
    ),
    Case(
        "regexp-replace-replaces-every-match",
        "select regexp_replace('the fox', 'FOX', 'quick brown fox', 1, 'i'), "
        "regexp_replace('a.b.c', '\\\\.', '-'), regexp_replace('aaa', 'a')",
        [("the quick brown fox", "a-b-c", "")],
        "docs: REGEXP_REPLACE function",
    ),
    Case(
        "backslash-escapes-in-literals",
        "select 'it\\'s', length('a\\\\b')",
        [("it's", 3)],
        "docs: Literals (backslash escapes in strings)",
    ),
    Case(
        "nvl-nvl2-decode-greatest",
        "select nvl(null, 'x'), nvl2(null, 1, 2), nvl2('a', 1, 2), "
        "decode(2, 1, 'one', 2, 'two', 'other'), decode(9, 1, 'one', 'other'), "
        "greatest(1, 3, 2), least(1, 3, 2)",
        [("x", 2, 1, "two", "other", 3, 1)],
        "docs: NVL, NVL2, DECODE, GREATEST and LEAST",
    ),
    Case(
        "convert-and-casts",
        "select convert(integer, '2008'), convert(varchar(max), 12), '12'::int + 1, "
        "cast('1.5' as decimal(4, 2))",
        [(2008, "12", 13, Decimal("1.50"))],
        "docs: CAST and CONVERT functions",
    ),
    Case(
        "sha2-round-trunc-of-doubles",
        "select sha2('Amazon Redshift', 256), round(2.5678::float8, 2), "
        "trunc(2.5678::double precision, 1), round(2.5::float8)",
        [(SHA256_AMAZON_REDSHIFT, 2.57, 2.5, 3.0)],
        "docs: SHA2, ROUND and TRUNC functions (double precision arguments)",
    ),
    Case(
        "cmp-functions",
        "select date_cmp('2008-01-01', '2008-01-04'), "
        "timestamp_cmp('2008-01-04 00:00', '2008-01-01'), "
        "interval_cmp(interval '3 days', interval '2 days'), date_part_year(date '2008-06-01')",
        [(-1, 1, 1, 2008)],
        "docs: DATE_CMP, TIMESTAMP_CMP, INTERVAL_CMP, DATE_PART_YEAR functions",
    ),
    Case(
        "session-and-hex-functions",
        "select to_hex(2147483647), current_time is not null, "
        "current_user_id = (select usesysid from pg_user where usename = current_user)",
        [("7fffffff", True, True)],
        "docs: TO_HEX, CURRENT_TIME and CURRENT_USER_ID functions",
    ),
    Case(
        "integer-arithmetic",
        "select 7 / 2, 7 % 3, -7 / 2, 1.0 * 7 / 2",
        [(3, 1, -3, 3.5)],
        "docs: Compute operators (integer division truncates)",
    ),
    Case(
        "sha1-soundex-difference",
        "select func_sha1('Amazon Redshift'), sha1('Amazon Redshift'), "
        "soundex('Amazon Redshift'), difference('Amazon Redshift', 'Amazon Redshift')",
        [(SHA1_AMAZON_REDSHIFT, SHA1_AMAZON_REDSHIFT, "A525", 4)],
        "docs: FUNC_SHA1/SHA1, SOUNDEX and DIFFERENCE functions",
    ),
    Case(
        "json-text-functions",
        'select json_extract_path_text(\'{"f2":{"f3":1},"f4":{"f5":99,"f6":"star"}}\', '
        "'f4', 'f6'), json_extract_path_text('{\"f2\":{\"f3\":1},\"f4\":{\"f5\":99', 'f4', "
        "'f6', true), json_extract_array_element_text('[111,112,113]', 2), "
        'json_array_length(\'[11,12,13,{"f1":21,"f2":[25,26]},14]\'), '
        "is_valid_json('{\"a\":2}'), is_valid_json('{\"a\":2')",
        [("star", None, "113", 5, True, False)],
        "docs: JSON_EXTRACT_PATH_TEXT and JSON functions",
    ),
]

AGGREGATE_CASES = [
    Case(
        "listagg-within-group",
        "select region, listagg(seller, ', ') within group (order by seller desc) "
        "from sales group by region order by region",
        [("east", "bob, ann"), ("west", "cy, bob, ann")],
        "docs: LISTAGG function",
        setup=SALES,
    ),
    Case(
        "listagg-distinct-no-delimiter",
        "select listagg(distinct seller) within group (order by seller) from sales",
        [("annbobcy",)],
        "docs: LISTAGG function",
        setup=SALES,
    ),
    Case(
        "listagg-window",
        "select id, listagg(seller, '|') within group (order by seller) "
        "over (partition by region) from sales order by id",
        [(1, "ann|bob"), (2, "ann|bob"), (3, "ann|bob|cy"), (4, "ann|bob|cy"), (5, "ann|bob|cy")],
        "docs: LISTAGG window function",
        setup=SALES,
    ),
    Case(
        "median-percentiles-approximate",
        "select median(qty), percentile_cont(0.5) within group (order by qty), "
        "approximate percentile_disc(0.5) within group (order by qty), "
        "approximate count(distinct seller), bool_and(qty > 0), bool_or(qty > 25) from sales",
        [(15.0, 15.0, 15, 3, True, True)],
        "docs: MEDIAN, PERCENTILE_CONT, APPROXIMATE functions",
        setup=SALES,
    ),
    Case(
        "avg-keeps-the-argument-type",
        "select avg(qty), avg(distinct qty), avg(qty::float8), avg(qty::decimal(10, 2)), "
        "pg_typeof(avg(qty))::text from sales",
        [(16, 16, 16.0, Decimal("16.00"), "bigint")],
        "docs: AVG function (BIGINT for integer arguments, same scale for DECIMAL)",
        setup=SALES,
    ),
    Case(
        "avg-window",
        "select id, avg(qty) over (partition by region) from sales order by id",
        [(1, 20), (2, 20), (3, 13), (4, 13), (5, 13)],
        "docs: AVG window function",
        setup=SALES,
    ),
    Case(
        "tpch-q1-shape",
        "select l_returnflag, l_linestatus, sum(l_quantity) as sum_qty, "
        "sum(l_extendedprice * (1 - l_discount)) as sum_disc_price, "
        "avg(l_quantity) as avg_qty, count(*) as count_order from lineitem "
        "where l_shipdate <= dateadd(day, -90, '1998-12-01') "
        "group by l_returnflag, l_linestatus order by l_returnflag, l_linestatus",
        [("N", "O", Decimal("53.00"), Decimal("62166.1764"), Decimal("26.50"), 2)],
        "TPC-H Q1 as written for Redshift (DATEADD, AVG of DECIMAL keeps its scale)",
        setup=(
            "create table lineitem (l_orderkey int, l_quantity decimal(15,2), "
            "l_extendedprice decimal(15,2), l_discount decimal(15,2), l_shipdate date, "
            "l_returnflag char(1), l_linestatus char(1)) distkey(l_orderkey) sortkey(l_shipdate)",
            "insert into lineitem values (1, 17, 21168.23, 0.04, '1996-03-13', 'N', 'O'), "
            "(1, 36, 45983.16, 0.09, '1996-04-12', 'N', 'O'), "
            "(2, 8, 13309.60, 0.10, '1998-12-01', 'R', 'F')",
        ),
    ),
    Case(
        "pivot",
        "select * from (select partname, price from part) "
        "pivot (avg(price) for partname in ('P1', 'P2', 'P3'))",
        [(Decimal("10.33"), Decimal("3.00"), None)],
        "docs: PIVOT and UNPIVOT examples",
        setup=PARTS,
    ),
    Case(
        "pivot-with-group-and-aliases",
        "select * from (select quality, partname, price from part) "
        "pivot (count(*) as n, max(price) as top for partname in ('P1' as a, 'P2' as b)) "
        "order by quality nulls first",
        [
            (None, 1, Decimal("9.00"), 0, None),
            (1, 1, Decimal("12.00"), 2, Decimal("3.50")),
            (2, 1, Decimal("10.00"), 0, None),
        ],
        "docs: PIVOT and UNPIVOT examples (several aggregates, aliases)",
        setup=PARTS,
    ),
    Case(
        "unpivot",
        "select * from (select red, green, blue from count_by_color) "
        "unpivot (cnt for color in (red, green, blue)) order by color, cnt",
        [
            ("blue", 7),
            ("blue", 40),
            ("green", 20),
            ("green", 23),
            ("red", 10),
            ("red", 15),
            ("red", 35),
        ],
        "docs: PIVOT and UNPIVOT examples",
        setup=(
            "create table count_by_color (quality varchar, red int, green int, blue int)",
            "insert into count_by_color values ('high', 15, 20, 7), ('normal', 35, null, 40), "
            "('low', 10, 23, null)",
        ),
    ),
    Case(
        "lateral-alias-in-where",
        "select id * 10 as tens, tens + 1 as next_tens from sales where tens > 30 order by tens",
        [(40, 41), (50, 51)],
        "docs: SELECT list (lateral column alias references)",
        setup=SALES,
    ),
    Case(
        "any-value",
        "select region, any_value(region) = region, any_value(qty) is not null "
        "from sales group by region order by region",
        [("east", True, True), ("west", True, True)],
        "docs: ANY_VALUE function",
        setup=SALES,
    ),
    Case(
        "ratio-to-report",
        "select id, ratio_to_report(qty) over (partition by region) from sales order by id",
        [
            (1, Decimal("0.25")),
            (2, Decimal("0.75")),
            (3, Decimal("0.125")),
            (4, Decimal("0.375")),
            (5, Decimal("0.5")),
        ],
        "docs: RATIO_TO_REPORT window function",
        setup=SALES,
    ),
    Case(
        "running-sum-with-frame",
        "select id, sum(qty) over (partition by region order by id "
        "rows between unbounded preceding and current row) from sales order by id",
        [(1, 10), (2, 40), (3, 5), (4, 20), (5, 40)],
        "docs: Window function syntax (frame clause)",
        setup=SALES,
    ),
    Case(
        "top-n",
        "select top 2 id from sales order by qty desc",
        [(2,), (5,)],
        "docs: SELECT TOP",
        setup=SALES,
    ),
    Case(
        "qualify-keeps-outer-order",
        "select region, seller, qty from sales "
        "qualify row_number() over (partition by region order by qty desc) = 1 "
        "order by qty",
        [("west", "bob", 20), ("east", "bob", 30)],
        "docs: QUALIFY clause",
        setup=SALES,
    ),
    Case(
        "minus-is-except",
        "select seller from sales where region = 'west' minus "
        "select seller from sales where region = 'east'",
        [("cy",)],
        "docs: UNION, INTERSECT, and EXCEPT (MINUS)",
        setup=SALES,
    ),
    Case(
        "nvl-in-join",
        "select count(*) from sales a join sales b on nvl(a.seller, '') = nvl(b.seller, '')",
        [(9,)],
        "docs: NVL function",
        setup=SALES,
    ),
]


QUERY_CASES = [*STRING_CASES, *AGGREGATE_CASES]
