"""Every DDL file of the corpus generates data whose keys, NOT NULLs and lengths all hold."""

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dwsim_cli.main import main
from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.ddl import import_ddl
from tests.generator.helpers import check_integrity, generate

CORPUS = Path(__file__).resolve().parents[1] / "ddl"
FILES = sorted((d.name, f) for d in CORPUS.iterdir() if d.is_dir() and d.name in set(Dialect)
               for f in d.glob("*.sql"))  # fmt: skip


@pytest.mark.parametrize(("dialect", "path"), FILES, ids=[f"{d}/{p.name}" for d, p in FILES])
def test_ddl_corpus_generates_consistent_data(dialect, path):
    exp = import_ddl(path.read_text(), dialect=Dialect(dialect), name="corpus")
    # 3,000 rows in every table but lookups and calendars, whose size is what they hold
    rows = {t.name: 3000 if t.sizing.scales else t.rows for t in exp.tables}
    check_integrity(exp.model_copy(update={"tables": [t.model_copy(update={"rows": rows[t.name]})
                                                       for t in exp.tables]}),
                    generate(exp, seed=2, rows=rows, chunk_rows=1000))  # fmt: skip


@pytest.mark.parametrize(("dialect", "path"), FILES, ids=[f"{d}/{p.name}" for d, p in FILES])
@pytest.mark.parametrize("scale", [0.01, 0.5])
def test_ddl_corpus_generates_at_its_inferred_sizes_at_any_scale(dialect, path, scale):
    exp = import_ddl(path.read_text(), dialect=Dialect(dialect), name="corpus")
    data = generate(exp, seed=3, scale=scale, chunk_rows=1000)
    check_integrity(exp, data)
    for table in exp.tables:
        expected = table.rows if not table.sizing.scales else max(1, round(table.rows * scale))
        if table.sizing.role.value not in ("bridge", "extension"):  # those may be capped
            assert data[table.name].num_rows == expected, table.name


def test_generate_command_reads_ddl(tmp_path):
    out = tmp_path / "tpch"
    ddl = CORPUS / "redshift" / "tpch.sql"
    assert (
        main(["generate", str(ddl), "--dialect", "redshift", "--out", str(out), "--scale", "2"])
        == 0
    )
    assert pq.read_table(out / "lineitem").num_rows == 2 * 17_500  # ~3.5 per order
    assert pq.read_table(out / "region").num_rows == 5  # lookups keep their size
    assert (out / "manifest.json").exists()
