select
    id as order_id,
    user_id as customer_id,
    order_date,
    -- functions both warehouses have: NVL and DATEADD
    dateadd(day, 7, order_date) as due_date,
    nvl(status, 'placed') as status
from {{ ref('raw_orders') }}
