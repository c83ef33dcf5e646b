{{
    config(
        materialized='incremental',
        unique_key='payment_id',
        incremental_strategy=('merge' if target.type == 'snowflake' else 'delete+insert'),
    )
}}

select
    payment_id,
    order_id,
    payment_method,
    amount,
    {{ 'true' if is_incremental() else 'false' }} as from_incremental_run
from {{ ref('stg_payments') }}

{% if is_incremental() %}
-- re-read the last few payments: they replace the rows already there, one row per key
where payment_id > (select max(payment_id) - 4 from {{ this }})
{% endif %}
