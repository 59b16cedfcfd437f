-- The 7-day success rate of each account (metric-definitions §6): the sums of
-- int_connection_success_rates, the one place the rate is computed, over the
-- account's connections. One row per account per day on which those sums
-- change (a row of one of its connections moves them); they hold from
-- rate_date to valid_to, and are 0 before the account's first row.
-- int_account_health_inputs reads them. Cost grows with the connections'
-- rows (at most two per attempt day), never with accounts × days.
-- Incremental (replace_days on rate_date, as int_connection_success_rates):
-- a run re-derives the rows from the newest stored day minus the window and
-- `incremental_lookback_days` (no later than the first connection row that run
-- changed), from the connection rows holding on the day before: each of those
-- counts as a change by its whole sums, so the account's sums carry over.
{%- set sums = ['attempts_7d', 'work_events_7d', 'failures_7d'] %}
{%- set window_days = var('health_short_window_days') %}
{{ config(**integration_adoption.incremental_replace_days_config(
    'rate_date', window_days, ('account_id', 'valid_to'))) }}
{%- if is_incremental() %}
    {%- set first_day = integration_adoption.incremental_first_day('rate_date', window_days) %}
{%- endif %}
with

connection_rates as (
    select * from {{ ref('int_connection_success_rates') }}
    {%- if is_incremental() %}
        -- the rows from the one holding on the day before the re-derived ones
        where valid_to is null or valid_to >= {{ integration_adoption.add_days(-1, first_day) }}
    {%- endif %}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

connection_changes as (
    -- how each row of a connection moves its sums (0 before its first row)
    select
        lifecycle.account_id,
        connection_rates.rate_date,
        {%- for summed in sums %}
            connection_rates.{{ summed }} - coalesce(lag(connection_rates.{{ summed }}) over (
                partition by connection_rates.connection_id
                order by connection_rates.rate_date
            ), 0) as {{ summed }}_change
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from connection_rates
    inner join lifecycle
        on connection_rates.connection_id = lifecycle.connection_id
),

account_changes as (
    -- a day whose changes cancel out is no change
    select
        account_id,
        rate_date,
        {%- for summed in sums %}
            sum({{ summed }}_change) as {{ summed }}_change
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from connection_changes
    group by account_id, rate_date
    having
        {%- for summed in sums %}
            sum({{ summed }}_change) <> 0
            {%- if not loop.last %} or{% endif %}
        {%- endfor %}
),

account_sums as (
    select
        account_id,
        rate_date,
        {%- for summed in sums %}
            sum({{ summed }}_change) over (
                partition by account_id
                order by rate_date
                rows between unbounded preceding and current row
            ) as {{ summed }},
        {%- endfor %}
        lead(rate_date) over (partition by account_id order by rate_date) as next_rate_date
    from account_changes
),

final as (
    select
        ---------- ids
        account_id,

        ---------- numerics
        {%- for summed in sums %}
            cast({{ summed }} as {{ dbt.type_bigint() }}) as {{ summed }},
        {%- endfor %}
        {{ integration_adoption.safe_divide('work_events_7d', 'attempts_7d') }} as success_rate_7d,

        ---------- dates
        rate_date,
        {{ integration_adoption.add_days(-1, 'next_rate_date') }} as valid_to
    from account_sums
    {%- if is_incremental() %}
        where rate_date >= {{ first_day }}
    {%- endif %}
)

select * from final
