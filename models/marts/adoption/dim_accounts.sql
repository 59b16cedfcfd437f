-- One row per account: attributes (or `unknown` for accounts seen only in
-- events, §2), current plan and MRR, and its integrations on the as-of date.
with

accounts as (
    select * from {{ ref('int_accounts') }}
),

connections as (
    select * from {{ ref('dim_connections') }}
),

per_account as (
    select
        account_id,
        count(*) as installed_connections,
        count(distinct case when current_state = 'active' then integration_key end)
            as active_integrations,
        count(distinct case when current_state = 'active' then integration_category end)
            as active_categories,
        sum(case when current_state = 'failing' then 1 else 0 end) as failing_connections,
        min(installed_date) as first_installed_date
    from connections
    group by account_id
),

final as (
    select
        ---------- ids
        cast(accounts.account_id as {{ dbt.type_string() }}) as account_id,

        ---------- strings
        cast(accounts.segment as {{ dbt.type_string() }}) as segment,
        cast(accounts.industry as {{ dbt.type_string() }}) as industry,
        cast(accounts.country as {{ dbt.type_string() }}) as country,
        cast(accounts.size_band as {{ dbt.type_string() }}) as size_band,
        cast(accounts.current_plan as {{ dbt.type_string() }}) as current_plan,

        ---------- numerics
        cast(accounts.employee_count as {{ dbt.type_bigint() }}) as employee_count,
        cast(accounts.current_mrr as {{ integration_adoption.type_double() }}) as current_mrr,
        cast(coalesce(per_account.installed_connections, 0) as {{ dbt.type_bigint() }})
            as installed_connections,
        cast(coalesce(per_account.active_integrations, 0) as {{ dbt.type_bigint() }})
            as active_integrations,
        cast(coalesce(per_account.active_categories, 0) as {{ dbt.type_bigint() }})
            as active_categories,
        cast(coalesce(per_account.failing_connections, 0) as {{ dbt.type_bigint() }})
            as failing_connections,

        ---------- booleans
        accounts.is_known_account,
        accounts.is_paying,

        ---------- dates
        accounts.created_date,
        per_account.first_installed_date,
        accounts.latest_billing_month_date
    from accounts
    left join per_account
        on accounts.account_id = per_account.account_id
)

select * from final
