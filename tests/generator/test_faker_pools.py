"""Faker pools: checked while planning, built when a chunk first needs them (not before
worker processes start), and a pool value that does not fit is named wherever it is found."""

import pytest

from dwsim_cli.main import main
from dwsim_generator.engine import GenerationError, plan_run, pools
from tests.generator.helpers import col, experiment, table


def _plan(type_: str, rule: dict, rows: int = 100):
    return plan_run(experiment(table("t", rows, [col("c", type_, rule)])), seed=2)


@pytest.mark.parametrize(
    ("type_", "rule", "message"),
    [
        ("INTEGER", {"kind": "faker", "provider": "pyint", "params": {"nope": 1}},
         r"t\.c: Faker provider 'pyint' failed: .*nope"),
        ("INTEGER", {"kind": "faker", "provider": "name"},
         r"t\.c: Faker 'name' value .* cannot be stored in a INTEGER column"),
        ("VARCHAR(10)", {"kind": "faker", "provider": "not_a_provider"},
         r"t\.c: unknown Faker provider 'not_a_provider'"),
    ],
)  # fmt: skip
def test_planning_rejects_a_provider_its_arguments_or_its_type(type_, rule, message):
    with pytest.raises(GenerationError, match=message):
        _plan(type_, rule)


def test_planning_leaves_the_pool_to_the_first_chunk_and_both_give_the_same_values():
    rule = {"kind": "faker", "provider": "street_address"}
    pools._POOLS.clear()
    plan = _plan("VARCHAR(60)", rule, rows=3000)
    assert {key[-1] for key in pools._POOLS} == {1}  # only the first value, as a check
    first = plan.generate_chunk("t", 0).column("c").to_pylist()
    assert {key[-1] for key in pools._POOLS} == {1, pools.POOL_SIZE}
    pools._POOLS.clear()
    again = _plan("VARCHAR(60)", rule, rows=3000).generate_chunk("t", 0).column("c").to_pylist()
    assert first == again
    assert len(set(first)) > 500


# pyint over 0..40000 into SMALLINT: the first value fits, later ones do not.
OVERFLOW = {"kind": "faker", "provider": "pyint", "params": {"min_value": 0, "max_value": 40000}}


def test_a_pool_value_that_does_not_fit_is_named_when_the_chunk_is_made():
    plan = _plan("SMALLINT", OVERFLOW)
    with pytest.raises(GenerationError, match=r"t\.c: .* cannot be stored in a SMALLINT column"):
        plan.generate_chunk("t", 0)


def test_a_pool_value_that_does_not_fit_in_a_worker_is_a_message(tmp_path, capsys):
    schema = tmp_path / "s.json"
    exp = experiment(table("t", 50_000, [col("c", "SMALLINT", OVERFLOW)]),
                     table("u", 50_000, [col("d", "INTEGER", {"kind": "sequence"})]))  # fmt: skip
    schema.write_text(exp.model_dump_json())
    out = tmp_path / "o"
    assert main(["generate", str(schema), "--out", str(out), "--workers", "2",
                 "--chunk-rows", "10000"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "t.c: " in err
    assert "cannot be stored in a SMALLINT column" in err
    assert "Traceback" not in err
    assert not (out / "manifest.json").exists()
