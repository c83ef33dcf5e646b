select
    id as order_id,
    user_id as customer_id,
    order_date,
{% if target.type == 'duckdb' %}
    -- DuckDB (the benchmark's reference, bench/bench_dbt.py) has neither NVL nor DATEADD
    order_date + interval 7 day as due_date,
    coalesce(status, 'placed') as status
{% else %}
    -- functions both warehouses have: NVL and DATEADD
    dateadd(day, 7, order_date) as due_date,
    nvl(status, 'placed') as status
{% endif %}
from {{ ref('raw_orders') }}
