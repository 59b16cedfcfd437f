with

source as (
    select * from {{ source('product', 'account_monthly') }}
),

renamed as (
    select
        ---------- ids
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        ---------- strings
        lower(cast(plan as {{ dbt.type_string() }})) as plan,

        ---------- numerics
        cast(mrr as {{ dbt.type_numeric() }}) as mrr,

        ---------- booleans
        coalesce(cast(mrr as {{ dbt.type_numeric() }}) > 0, false) as is_paying,

        ---------- dates
        cast({{ dbt.date_trunc('month', 'cast(month as date)') }} as date) as month_start_date
    from source
)

select * from renamed
