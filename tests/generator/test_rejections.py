"""Impossible requests are refused before any work, with a message naming table and column."""

import pytest
from pydantic import ValidationError

from dwsim_generator.engine import GenerationError, plan_run
from tests.generator.helpers import col, experiment, table
from tests.generator.schemas import fk

PARENT = table("p", 0, [col("id", "INTEGER", nullable=False)], primary_key=["id"])
CASES = [
    pytest.param(
        [table("t", 3, [col("flag", "BOOLEAN", nullable=False)], unique=[{"columns": ["flag"]}])],
        "t.flag: unique values for 3 rows were requested, but a boolean rule on BOOLEAN can make "
        "only 2 distinct values",
        id="unique-boolean",
    ),
    pytest.param(
        [
            table(
                "t",
                10,
                [col("d", "DATE", {"kind": "range", "min": "2024-02-01", "max": "2024-01-01"})],
            )
        ],
        "t.d: min 2024-02-01 is after max 2024-01-01",
        id="dates-reversed",
    ),
    pytest.param(
        [table("t", 10, [col("c", "VARCHAR(5)", {"kind": "categorical", "values": []})])],
        "t.c: categorical rule has no values to choose from",
        id="empty-categorical",
    ),
    pytest.param(
        [table("t", 10_000, [col("code", "VARCHAR(2)", {"kind": "text", "unique": True})])],
        "t.code: unique values for 10000 rows were requested, but a text rule on VARCHAR(2) can "
        "make only 1296 distinct values",
        id="varchar2-unique-10k",
    ),
    pytest.param(
        [
            PARENT,
            table(
                "c",
                5,
                [col("pid", "INTEGER", nullable=False)],
                foreign_keys=[fk(["pid"], "p", ["id"])],
            ),
        ],
        "c: foreign key (pid) references p, which has 0 rows",
        id="parent-without-rows",
    ),
    pytest.param(
        [
            table(
                "t", 10, [col("n", "INTEGER", {"kind": "range", "null_ratio": 0.2}, nullable=False)]
            )
        ],
        "t.n: null_ratio 0.2 is set on a NOT NULL column",
        id="nulls-in-not-null",
    ),
    pytest.param(
        [table("t", 10, [col("d", "DATE", {"kind": "distribution", "distribution": "normal"})])],
        "t.d: a distribution rule cannot fill a DATE column",
        id="distribution-on-date",
    ),
    pytest.param(
        [
            table(
                "t",
                10,
                [
                    col(
                        "n",
                        "DOUBLE",
                        {"kind": "distribution", "distribution": "zipf", "params": {"a": 0.5}},
                    )
                ],
            )
        ],
        "t.n: zipf distribution: a must be > 1",
        id="zipf-a",
    ),
    pytest.param(
        [table("t", 40_000, [col("n", "SMALLINT", {"kind": "sequence"})])],
        "t.n: sequence from 1 by 1 reaches 40000 over 40000 rows, beyond SMALLINT",
        id="sequence-overflow",
    ),
    pytest.param(
        [table("t", 10, [col("c", "VARCHAR(4)", {"kind": "pattern", "pattern": "AB-###"})])],
        "t.c: pattern 'AB-###' makes 6-character values but the column is VARCHAR(4)",
        id="pattern-too-long",
    ),
    pytest.param(
        [table("t", 10, [col("n", "SMALLINT", {"kind": "range", "min": 0, "max": 70000})])],
        "t.n: range [0, 70000] does not fit SMALLINT",
        id="range-beyond-type",
    ),
    pytest.param(
        [
            table(
                "t",
                100,
                [col("a", "BOOLEAN"), col("b", "CHAR(1)", {"kind": "pattern", "pattern": "#"})],
                primary_key=["a", "b"],
            )
        ],
        "t.a: composite key (a, b) can take only 20 distinct values but 100 rows are requested",
        id="composite-too-small",
    ),
    pytest.param(
        [
            table("a", 3, [col("id", "INTEGER", nullable=False)], primary_key=["id"]),
            table("b", 4, [col("id", "INTEGER", nullable=False)], primary_key=["id"]),
            table(
                "ab",
                13,
                [col("a_id", "INTEGER", nullable=False), col("b_id", "INTEGER", nullable=False)],
                primary_key=["a_id", "b_id"],
                foreign_keys=[fk(["a_id"], "a", ["id"]), fk(["b_id"], "b", ["id"])],
            ),
        ],
        "ab: 13 rows of unique (a_id, b_id) need at most 3 x 4 = 12 rows",
        id="grid-too-small",
    ),
    pytest.param(
        [
            table("p", 5, [col("id", "INTEGER", nullable=False)], primary_key=["id"]),
            table(
                "c",
                6,
                [col("pid", "INTEGER", nullable=False)],
                primary_key=["pid"],
                foreign_keys=[fk(["pid"], "p", ["id"])],
            ),
        ],
        "c: unique foreign key (pid) needs a distinct parent per row: 6 rows but p has 5",
        id="one-to-one-too-many",
    ),
    pytest.param(
        [
            table(
                "p",
                5,
                [col("code", "VARCHAR(6)", {"kind": "pattern", "pattern": "P-####"})],
                primary_key=["code"],
            ),
            table("c", 5, [col("pid", "INTEGER")], foreign_keys=[fk(["pid"], "p", ["code"])]),
        ],
        "c.pid: foreign key values from p.code (VARCHAR(6)) cannot be stored in a INTEGER column",
        id="fk-type-mismatch",
    ),
    pytest.param(
        [
            table(
                "p", 10, [col("kind", "VARCHAR(3)", {"kind": "categorical", "values": ["a", "b"]})]
            ),
            table("c", 5, [col("k", "VARCHAR(3)")], foreign_keys=[fk(["k"], "p", ["kind"])]),
        ],
        "p.kind: unique values for 10 rows were requested, but a categorical rule on VARCHAR(3) "
        "can make only 2 distinct values (a foreign key references this column",
        id="referenced-non-key",
    ),
    pytest.param(
        [table("t", 10, [col("c", "VARCHAR(9)", {"kind": "uuid"})])],
        "t.c: UUIDs need 36 characters; the column is VARCHAR(9)",
        id="uuid-too-narrow",
    ),
]


@pytest.mark.parametrize(("tables", "message"), CASES)
def test_impossible_requests_are_rejected_with_a_named_place(tables, message):
    with pytest.raises(GenerationError) as err:
        plan_run(experiment(*tables), seed=1)
    assert message in str(err.value)


def test_a_numeric_range_upside_down_is_refused_when_the_schema_is_read():
    """Before any plan: the experiment itself is invalid, and the error says where."""
    with pytest.raises(ValidationError) as err:
        experiment(table("t", 10, [col("n", "INTEGER", {"kind": "range", "min": 10, "max": 1})]))
    assert "tables.0.columns.0.rule" in str(err.value)
    assert "a range rule's 'min' (10) is above its 'max' (1)" in str(err.value)


def test_unknown_table_in_row_counts():
    exp = experiment(table("t", 10, [col("n", "INTEGER")]))
    with pytest.raises(GenerationError, match=r"rows given for unknown table 'nope' \(tables: t\)"):
        plan_run(exp, rows={"nope": 5})


def test_nullable_foreign_key_to_an_empty_parent_is_all_null():
    exp = experiment(
        PARENT, table("c", 5, [col("pid", "INTEGER")], foreign_keys=[fk(["pid"], "p", ["id"])])
    )
    data = plan_run(exp).generate_chunk("c", 0)
    assert data.column("pid").null_count == 5


def test_unique_request_on_a_family_that_cannot_make_distinct_values():
    rule = {"kind": "distribution", "distribution": "normal", "unique": True}
    with pytest.raises(
        GenerationError, match=r"t\.n: a distribution rule cannot make unique INTEGER values"
    ):
        plan_run(experiment(table("t", 10, [col("n", "INTEGER", rule)])))
