{{ config(materialized='view') }}
-- Whether an account is scored on each day its health inputs hold
-- (metric-definitions §6): from its first install (the inputs start there),
-- on the days of the months it is alive (int_account_alive_months, the one
-- definition: MRR > 0, or no billing rows at all; a month after the latest
-- billed one takes that month's status). A churned account is not scored; a
-- paying one with no integration in use still is. A view: a billing change
-- to any month is seen on the next read, and the stored scores follow it
-- (drop_stale_account_health_scores). Cost: one pass over the inputs.
with

inputs as (
    select * from {{ ref('int_account_health_inputs') }}
),

alive_months as (
    select * from {{ ref('int_account_alive_months') }}
),

final as (
    select
        ---------- ids
        inputs.account_id,

        ---------- booleans
        inputs.is_stored,
        alive_months.is_alive as is_scored,

        ---------- dates
        inputs.computation_date
    from inputs
    inner join alive_months
        on
            inputs.account_id = alive_months.account_id
            and cast({{ dbt.date_trunc('month', 'inputs.computation_date') }} as date)
            = alive_months.month_start_date
)

select * from final
