{{ config(materialized='table', dist='customer', sort=['customer'], sort_type='compound') }}
select customer, count(*) as orders, sum(amount) as total
from {{ ref('orders_view') }}
group by customer
