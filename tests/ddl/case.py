"""The shape of one corpus expectation, shared by the expected_*.py modules."""

from dataclasses import dataclass, field
from datetime import date

from dwsim_shared.contracts.enums import Dialect, TypeKind, Warehouse

TODAY = date(2026, 1, 15)  # anchors inferred date ranges

INT, BI, SI, DEC = TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.SMALLINT, TypeKind.DECIMAL
C, VC, TX, D = TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT, TypeKind.DATE
TS, TSZ, J = TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ, TypeKind.JSON


@dataclass
class Case:
    path: str
    dialect: Dialect
    warehouse: Warehouse
    # table -> [(column, kind, raw type text, nullable)], in declaration order
    columns: dict[str, list[tuple[str, TypeKind, str, bool]]]
    primary_keys: dict[str, list[str]]
    # (table, columns, parent, parent columns)
    foreign_keys: list[tuple[str, list[str], str, list[str]]]
    warehouse_options: dict[str, dict] = field(default_factory=dict)
    # (table, column, expected rule fields)
    rules: list[tuple[str, str, dict]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # substrings, each in some warning
    # table -> (default rows, role) inferred from the key graph
    sizes: dict[str, tuple[int, str]] = field(default_factory=dict)
