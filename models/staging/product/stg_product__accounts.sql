with

source as (
    select * from {{ source('product', 'accounts') }}
),

renamed as (
    select
        ---------- ids
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        ---------- strings
        lower(cast(segment as {{ dbt.type_string() }})) as segment,
        lower(cast(industry as {{ dbt.type_string() }})) as industry,
        upper(cast(country as {{ dbt.type_string() }})) as country,

        ---------- numerics
        cast(employee_count as {{ dbt.type_int() }}) as employee_count,

        ---------- dates
        cast(cast(created_at as {{ dbt.type_timestamp() }}) as date) as created_date,

        ---------- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at
    from source
)

select * from renamed
