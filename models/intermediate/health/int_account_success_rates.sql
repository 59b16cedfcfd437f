-- The 7-day success rate of each account (metric-definitions §6): the sums of
-- int_connection_success_rates, the one place the rate is computed, over the
-- account's connections. One row per account per day on which those sums
-- change (a row of one of its connections moves them); they hold from
-- rate_date to valid_to, and are 0 before the account's first row.
-- int_account_health_inputs reads them. Cost grows with the connections'
-- rows (at most two per attempt day), never with accounts × days.
{%- set sums = ['attempts_7d', 'work_events_7d', 'failures_7d'] %}
with

connection_rates as (
    select * from {{ ref('int_connection_success_rates') }}
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
            {{ summed }},
        {%- endfor %}
        {{ integration_adoption.safe_divide('work_events_7d', 'attempts_7d') }} as success_rate_7d,

        ---------- dates
        rate_date,
        {{ integration_adoption.add_days(-1, 'next_rate_date') }} as valid_to
    from account_sums
)

select * from final
