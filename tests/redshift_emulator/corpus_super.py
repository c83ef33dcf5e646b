"""SUPER (semi-structured data) cases: PartiQL navigation, unnesting, SUPER functions."""

from tests.redshift_emulator.corpus import Case

SUPER_TABLE = (
    "create table orders (id int, doc super)",
    "insert into orders values "
    """(1, json_parse('{"c_name": "Ann", "n": 5, "lines": [{"sku": "a1", "qty": 2}, """
    """{"sku": "b2", "qty": 3}], "addr": {"city": "Oslo"}}')), """
    """(2, json_parse('{"c_name": "Bob", "n": 7, "lines": [{"sku": "c3", "qty": 1}]}'))""",
)

SUPER_CASES = [
    Case(
        "partiql-paths",
        "select doc.c_name, doc.addr.city, doc.lines[1].sku, doc.lines[0].qty "
        "from orders where id = 1",
        [("Ann", "Oslo", "b2", 2)],
        "docs: Querying semi-structured data (navigation)",
        setup=SUPER_TABLE,
    ),
    Case(
        "partiql-qualified-and-cast",
        "select o.id, o.doc.c_name::varchar, o.doc.n::int + 1 from orders o "
        "where o.doc.c_name = 'Bob' and o.doc.n = 7",
        [(2, "Bob", 8)],
        "docs: Querying semi-structured data (casts and comparisons)",
        setup=SUPER_TABLE,
    ),
    Case(
        "partiql-arithmetic-and-sums",
        "select sum(doc.n), max(doc.n), min(o.doc.n * 2) from orders o",
        [(12, 7, 10)],
        "docs: Querying semi-structured data (SUPER numbers in expressions)",
        setup=SUPER_TABLE,
    ),
    Case(
        "partiql-missing-path-is-null",
        "select id from orders where doc.addr.city is null order by id",
        [(2,)],
        "docs: Querying semi-structured data (lax navigation)",
        setup=SUPER_TABLE,
    ),
    Case(
        "partiql-unnest-array-in-from",
        "select c.id, l.sku, l.qty::int from orders c, c.doc.lines l "
        "where l.qty > 1 order by l.sku",
        [(1, "a1", 2), (1, "b2", 3)],
        "docs: Querying semi-structured data (unnesting arrays in FROM)",
        setup=SUPER_TABLE,
    ),
    Case(
        "partiql-unnest-with-index",
        "select c.id, idx, l.sku from orders as c, c.doc.lines as l at idx order by c.id, idx",
        [(1, 0, "a1"), (1, 1, "b2"), (2, 0, "c3")],
        "docs: Querying semi-structured data (unnesting with AT index)",
        setup=SUPER_TABLE,
    ),
    Case(
        "partiql-unnest-after-a-plain-alias",
        "select o.id, l from orders o, o.lines l order by l",
        [(1, "x"), (1, "y")],
        "docs: Querying semi-structured data (unnesting arrays in FROM)",
        setup=(
            "create table orders (id int, lines super)",
            'insert into orders values (1, json_parse(\'["y", "x"]\'))',
        ),
    ),
    Case(
        "partiql-unpivot-object",
        "select attr, val from orders c, unpivot c.doc.addr as val at attr where c.id = 1",
        [("city", "Oslo")],
        "docs: Querying semi-structured data (object unpivoting)",
        setup=SUPER_TABLE,
    ),
    Case(
        "super-constructors-and-arrays",
        "select array(1, 2, 'x'), split_to_array('a,b', ','), object('a', 1, 'b', 'z'), "
        "subarray(array(1, 2, 3, 4), 1, 2), array_concat(array(1), array(2, 3))",
        [([1, 2, "x"], ["a", "b"], {"a": 1, "b": "z"}, [2, 3], [1, 2, 3])],
        "docs: SUPER functions (ARRAY, SPLIT_TO_ARRAY, OBJECT, SUBARRAY, ARRAY_CONCAT)",
    ),
    Case(
        "cast-to-super-makes-scalars",
        "select json_serialize('bla'::super), json_typeof(cast(1 as super)), "
        "json_typeof('{\"a\":1}'::super)",
        [('"bla"', "number", "string")],
        "docs: SUPER type (casting scalar values to SUPER)",
    ),
    Case(
        "super-type-predicates",
        "select can_json_parse('{\"a\":1}'), can_json_parse('{'), "
        "is_integer(json_parse('5')), is_integer(json_parse('5.5')), "
        "is_float(json_parse('5.5')), is_scalar(json_parse('\"s\"')), "
        "is_scalar(json_parse('[1]'))",
        [(True, False, True, False, True, True, False)],
        "docs: SUPER type information functions",
    ),
    Case(
        "super-functions",
        "select is_array(doc.lines), json_typeof(doc.n), get_array_length(doc.lines), "
        "json_serialize(json_parse('{\"a\":1}')) from orders where id = 2",
        [(True, "number", 1, '{"a": 1}')],
        "docs: SUPER type information functions",
        setup=SUPER_TABLE,
    ),
]
