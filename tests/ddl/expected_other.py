"""Expected imports of the Snowflake and PostgreSQL corpus files."""

from dwsim_shared.contracts.enums import Dialect, RuleKind, RuleSource, TypeKind, Warehouse
from tests.ddl.case import BI, DEC, INT, SI, TS, TSZ, TX, VC, C, Case, D, J

SNOWFLAKE = Case(
    "snowflake/ecommerce.sql",
    Dialect.SNOWFLAKE,
    Warehouse.SNOWFLAKE,
    columns={
        "customers": [
            ("customer_id", DEC, "NUMBER(38,0)", False),
            ("email", VC, "VARCHAR(255)", False),
            ("first_name", VC, "VARCHAR(100)", True),
            ("last_name", VC, "VARCHAR(100)", True),
            ("country", C, "CHAR(2)", True),
            ("state", VC, "VARCHAR(2)", True),
            ("is_active", TypeKind.BOOLEAN, "BOOLEAN", True),
            ("preferences", J, "VARIANT", True),
            ("created_at", TS, "TIMESTAMP_NTZ(9)", False),
        ],
        "products": [
            ("product_id", DEC, "NUMBER", False),
            ("sku", VC, "STRING", False),
            ("product_name", VC, "VARCHAR(200)", False),
            ("category", VC, "VARCHAR(50)", True),
            ("price", DEC, "NUMBER(10,2)", False),
            ("attributes", TypeKind.OBJECT, "OBJECT", True),
            ("tags", TypeKind.ARRAY, "ARRAY", True),
        ],
        "Orders": [
            ("OrderId", DEC, "NUMBER(38,0)", False),
            ("customer_id", DEC, "NUMBER(38,0)", False),
            ("order_status", VC, "VARCHAR(20)", False),
            ("total_amount", DEC, "NUMBER(12,2)", True),
            ("ordered_at", TSZ, "TIMESTAMP_LTZ", True),
            ("shipped_at", TSZ, "TIMESTAMP_TZ(3)", True),
            ("ship_to", VC, "VARCHAR", True),
            ("raw_payload", J, "VARIANT", True),
        ],
        "order_items": [
            ("order_id", DEC, "NUMBER(38,0)", False),
            ("line_no", SI, "SMALLINT", False),
            ("product_id", DEC, "NUMBER", False),
            ("quantity", INT, "INTEGER", False),
            ("unit_price", TypeKind.DOUBLE, "FLOAT", True),
            ("discount_pct", TypeKind.DOUBLE, "DOUBLE", True),
        ],
    },
    primary_keys={
        "customers": ["customer_id"],
        "products": ["product_id"],
        "Orders": ["OrderId"],
        "order_items": ["order_id", "line_no"],
    },
    foreign_keys=[
        ("Orders", ["customer_id"], "customers", ["customer_id"]),
        ("order_items", ["order_id"], "Orders", ["OrderId"]),
        ("order_items", ["product_id"], "products", ["product_id"]),
    ],
    warehouse_options={
        "customers": {"create_or_replace": True, "transient": False},
        "products": {"if_not_exists": True, "create_or_replace": False},
        "Orders": {
            "create_or_replace": True,
            "transient": True,
            "cluster_by": ["to_date(ordered_at)", "customer_id"],
        },
        "order_items": {"temporary": True},
    },
    rules=[
        (
            "customers",
            "customer_id",
            {"kind": RuleKind.SEQUENCE, "source": RuleSource.DDL, "start": 1},
        ),
        ("products", "product_id", {"kind": RuleKind.SEQUENCE, "start": 1000, "step": 10}),
        (  # made from the customer's own names, unique (inferred expression)
            "customers",
            "email",
            {
                "kind": RuleKind.EXPRESSION,
                "expression": 'email("first_name", "last_name")',
                "unique": True,
            },
        ),
        ("order_items", "unit_price", {"kind": RuleKind.LOOKUP, "ref": "products.price"}),
        # one address: a 2-letter country and state, so US places (geo group, see correlated.py)
        (
            "customers",
            "country",
            {"kind": RuleKind.GEO, "field": "country_code", "locale": "US", "group": None},
        ),
        ("customers", "state", {"kind": RuleKind.GEO, "field": "state_code", "locale": "US"}),
        ("customers", "is_active", {"kind": RuleKind.BOOLEAN, "probability": 0.85}),
        ("customers", "preferences", {"kind": RuleKind.JSON}),
        (
            "customers",
            "created_at",
            {"kind": RuleKind.RANGE, "min": "2023-01-15T00:00:00", "max": "2026-01-15T23:59:59"},
        ),
        ("products", "sku", {"kind": RuleKind.PATTERN, "unique": True}),
        ("products", "tags", {"kind": RuleKind.JSON}),
        ("products", "price", {"kind": RuleKind.DISTRIBUTION, "min": 1.0, "max": 1000.0}),
        (
            "Orders",
            "order_status",
            {
                "kind": RuleKind.CATEGORICAL,
                "values": [
                    "pending",
                    "processing",
                    "shipped",
                    "delivered",
                    "cancelled",
                    "returned",
                ],
                "weights": [0.05, 0.07, 0.1, 0.7, 0.05, 0.03],  # most orders are delivered
            },
        ),
        ("order_items", "quantity", {"kind": RuleKind.RANGE, "min": 1, "max": 50}),
    ],
    warnings=[
        "line 38: Orders.ship_to: type GEOGRAPHY is not supported",
        "line 55: skipped 1 CREATE VIEW statement",
        "line 3: skipped 1 USE statement",
    ],
    sizes={
        "customers": (1000, "entity"),
        "products": (500, "entity"),
        "Orders": (5000, "event"),  # ~5 per customer
        "order_items": (17500, "line"),  # ~3.5 per order
    },
)

POSTGRES = Case(
    "postgres/app.sql",
    Dialect.POSTGRES,
    Warehouse.REDSHIFT,
    columns={
        "accounts": [
            ("id", INT, "SERIAL", False),
            ("public_id", TypeKind.UUID, "UUID", False),
            ("name", TX, "TEXT", False),
            ("plan", VC, "VARCHAR(8)", False),
            ("status", VC, "VARCHAR(16)", False),
            ("seats", INT, "INTEGER", False),
            ("created_at", TSZ, "TIMESTAMP WITH TIME ZONE", False),
            ("deleted_at", TSZ, "TIMESTAMPTZ", True),
        ],
        "users": [
            ("id", BI, "BIGSERIAL", False),
            ("account_id", INT, "INTEGER", False),
            ("email", VC, "CHARACTER VARYING(320)", False),
            ("full_name", TX, "TEXT", True),
            ("role", TX, "TEXT", False),
            ("phone", VC, "VARCHAR(32)", True),
            ("last_login_ip", TX, "TEXT", True),
            ("settings", J, "JSONB", True),
            ("is_admin", TypeKind.BOOLEAN, "BOOLEAN", False),
            ("updated_at", TS, "TIMESTAMP WITHOUT TIME ZONE", True),
        ],
        "invoices": [
            ("id", INT, "integer", False),
            ("account_id", INT, "integer", False),
            ("amount", DEC, "numeric(12,2)", False),
            ("currency", C, "char(3)", False),
            ("issued_on", D, "date", False),
            ("paid_at", TS, "timestamp(3) without time zone", True),
        ],
    },
    primary_keys={"accounts": ["id"], "users": ["id"], "invoices": ["id"]},
    foreign_keys=[
        ("users", ["account_id"], "accounts", ["id"]),
        ("invoices", ["account_id"], "accounts", ["id"]),
    ],
    rules=[
        ("accounts", "id", {"kind": RuleKind.SEQUENCE, "source": RuleSource.DDL, "unique": True}),
        ("invoices", "id", {"kind": RuleKind.SEQUENCE, "source": RuleSource.DDL}),  # nextval()
        ("accounts", "public_id", {"kind": RuleKind.UUID, "unique": True}),
        (
            "accounts",
            "plan",
            {"kind": RuleKind.CATEGORICAL, "values": ["free", "team", "business"]},
        ),
        (
            "accounts",
            "status",
            {
                "kind": RuleKind.CATEGORICAL,
                "source": RuleSource.DDL,
                "values": ["active", "suspended", "closed"],
            },
        ),
        (
            "accounts",
            "seats",
            {"kind": RuleKind.RANGE, "source": RuleSource.DDL, "min": 1, "max": 500},
        ),
        (  # deleted after it was created, mostly never
            "accounts",
            "deleted_at",
            {"kind": RuleKind.AFTER, "ref": "created_at", "null_ratio": 0.9},
        ),
        ("users", "role", {"kind": RuleKind.CATEGORICAL, "values": ["owner", "member", "guest"]}),
        ("users", "email", {"kind": RuleKind.FAKER, "provider": "email"}),
        ("users", "full_name", {"kind": RuleKind.FAKER, "provider": "name"}),
        ("users", "last_login_ip", {"kind": RuleKind.FAKER, "provider": "ipv4"}),
        ("users", "settings", {"kind": RuleKind.JSON}),
        ("invoices", "currency", {"kind": RuleKind.FAKER, "provider": "currency_code"}),
        (
            "invoices",
            "issued_on",  # issued after the account was created (inferred time order)
            {
                "kind": RuleKind.AFTER,
                "ref": "accounts.created_at",
                "min": "2023-01-15",
                "max": "2026-01-15",
            },
        ),
    ],
    warnings=[
        "line 23: accounts.plan: type public.plan_tier is an enum type",
        "line 38: users.last_login_ip: type INET is not supported",
        "line 53: invoices: CHECK ((amount >= (0)::numeric)) is kept but not enforced",
        "line 2: skipped 2 SET statements (lines 2, 3)",
        "line 10: skipped 1 CREATE FUNCTION statement",
        "line 65: skipped 1 ALTER TABLE statement",
        "line 72: skipped 1 GRANT statement",
    ],
    sizes={"accounts": (1000, "entity"), "users": (3000, "event"), "invoices": (5000, "event")},
)
