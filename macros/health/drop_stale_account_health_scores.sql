{#- Pre-hook of fct_account_health_daily on an incremental run. Billing has
    no load time, so a churn or a return can be recorded for any month: the
    stored scores are then stale from the first day whose row should not
    exist (the month is no longer alive), should exist but does not, or
    whose score_change_7d / _30d is null although d − short / d − long
    window (vars health_short_window_days, health_long_window_days) is now
    scored (or the other way round). Those days are deleted, for every
    account, so the run rescores from the newest day left minus the
    lookback. Deletes nothing when billing changed nothing. Nothing on a
    full refresh (or on Spark, where the model is a table).
    Only the accounts whose basis (account_health_basis: the first install,
    the first month and the months not alive) differs from the one recorded
    when the scores were last written (record_account_health_basis) are
    checked: the scores of the others passed this check then, and nothing it
    reads has moved. Without a recorded basis (or with one of other columns,
    recorded by another version of account_health_basis), every account.
    Cost: a pass over the stored scores of those accounts, each joined with
    its account once, and their stored days of the inputs counted per
    account and month: a missing day is found by those counts, and dated by
    the first stored day of its month (the first one a flipped month lacks). -#}
{% macro drop_stale_account_health_scores(inputs, alive_months, as_of_date) -%}
    {#- each score change (column suffix) and the days before it compares with -#}
    {%- set changes = [('7d', var('health_short_window_days')), ('30d', var('health_long_window_days'))] -%}
    {%- if is_incremental() -%}
        {%- set as_of = '(select as_of_date from ' ~ as_of_date ~ ')' -%}
        {%- set first_day = integration_adoption.incremental_first_day('score_date') -%}
        {%- set recorded = integration_adoption.account_health_basis_relation() -%}
        {%- set basis = adapter.get_relation(recorded.database, recorded.schema, recorded.identifier) -%}
        {%- if basis is not none and not integration_adoption.account_health_basis_is_current(
                basis, inputs, alive_months) -%}
            {#- recorded by a version whose basis had other columns: as if none -#}
            {%- set basis = none -%}
        {%- endif %}
        delete from {{ this }}
        where score_date >= (
            with

            accounts as (
                -- per account: what the check reads of it (account_health_basis)
                {{ integration_adoption.account_health_basis(inputs, alive_months) | indent(16) }}
            ),

            checked as (
                -- the accounts whose basis changed since the stored scores were written:
                -- the others' scores passed this check then and nothing it reads has moved
                select * from accounts
                {%- if basis is not none %}
                    except
                    select * from {{ basis }}
                {%- endif %}
            ),

            kept_scores as (
                -- the stored days still stored, each stale when its month is
                -- no longer alive or a change compares with the wrong days
                {%- set month_of = 'cast(' ~ dbt.date_trunc('month', 'scores.score_date') ~ ' as date)' %}
                select
                    scores.account_id,
                    {{ month_of }} as month_start_date,
                    scores.score_date,
                    (
                        {{ integration_adoption.drop_stale_dead_month(month_of) }}
                        {%- for change, offset in changes %}
                            {%- set before_day = integration_adoption.add_days(-offset, 'scores.score_date') %}
                            {%- set before_month = 'cast(' ~ dbt.date_trunc('month', before_day) ~ ' as date)' %}
                            or (scores.score_change_{{ change }} is not null) != (
                                {{ before_day }} >= accounts.first_installed_date
                                and {{ before_month }} >= accounts.first_month_start_date
                                and not {{ integration_adoption.drop_stale_dead_month(before_month) }}
                            )
                        {%- endfor %}
                    ) as is_stale
                from {{ this }} as scores
                inner join checked as accounts
                    on scores.account_id = accounts.account_id
                where
                    {{ month_of }} >= accounts.first_month_start_date
                    and {{ integration_adoption.account_health_is_stored(
                        'scores.score_date', 'accounts.first_installed_date', as_of) }}
            ),

            kept_days as (
                -- per account and month, the scores kept before the days the run rescores anyway
                select
                    account_id,
                    month_start_date,
                    count(*) as day_count
                from kept_scores
                where score_date < {{ first_day }}
                group by account_id, month_start_date
            ),

            stored_days as (
                -- per account and month, the stored days before those
                select
                    account_id,
                    cast({{ dbt.date_trunc('month', 'computation_date') }} as date) as month_start_date,
                    min(computation_date) as first_date,
                    count(*) as day_count
                from {{ inputs }}
                where
                    is_stored
                    and computation_date < {{ first_day }}
                    and account_id in (select checked.account_id from checked)
                group by account_id, cast({{ dbt.date_trunc('month', 'computation_date') }} as date)
            )

            select min(stale.score_date)
            from (
                select score_date
                from kept_scores
                where is_stale
                union all
                -- scored and stored, but missing: an alive month with fewer scores than stored days
                select stored_days.first_date as score_date
                from stored_days
                inner join {{ alive_months }} as alive_months
                    on
                        stored_days.account_id = alive_months.account_id
                        and stored_days.month_start_date = alive_months.month_start_date
                left join kept_days
                    on
                        stored_days.account_id = kept_days.account_id
                        and stored_days.month_start_date = kept_days.month_start_date
                where
                    alive_months.is_alive
                    and coalesce(kept_days.day_count, 0) < stored_days.day_count
            ) as stale
        )
    {%- endif -%}
{%- endmacro %}

{#- Whether the month `month_expression` is among the account's months not
    alive (accounts.dead_months of drop_stale_account_health_scores). -#}
{% macro drop_stale_dead_month(month_expression) -%}
    (
        coalesce({{ dbt.position(
            'cast(' ~ month_expression ~ ' as ' ~ dbt.type_string() ~ ')', 'accounts.dead_months') }}, 0) > 0
    )
{%- endmacro %}
