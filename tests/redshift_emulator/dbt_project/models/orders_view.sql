{{ config(materialized='view') }}
-- Redshift SQL on purpose: NVL, DATEADD and GETDATE go through the emulator's translator.
select
    id,
    customer,
    nvl(amount, 0) as amount,
    dateadd(day, 7, ordered_at) as due_at
from {{ source('raw', 'orders') }}
where ordered_at <= getdate()
