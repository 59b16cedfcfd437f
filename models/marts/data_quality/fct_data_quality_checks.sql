-- What cleaning did to the raw events, as one row per measure: where every
-- raw row went (clean, quarantined by reason, collapsed) and the valid but
-- awkward rows that were kept (metric-definitions §2).
with

triaged as (
    select * from {{ ref('base_product__integration_events_triaged') }}
),

events as (
    select * from {{ ref('int_connection_events_unioned') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

measures as (
    select
        'raw_rows' as check_name,
        'all' as check_detail,
        count(*) + sum(collapsed_duplicate_count) as row_count
    from triaged
    union all
    select
        'clean_rows' as check_name,
        'all' as check_detail,
        count(*) as row_count
    from triaged
    where rejection_reason is null
    union all
    select
        'quarantined_rows' as check_name,
        rejection_reason as check_detail,
        count(*) as row_count
    from triaged
    where rejection_reason is not null
    group by rejection_reason
    union all
    select
        'collapsed_duplicate_rows' as check_name,
        'all' as check_detail,
        sum(collapsed_duplicate_count) as row_count
    from triaged
    union all
    select
        'unknown_account_events' as check_name,
        'kept; account attributes unknown' as check_detail,
        count(*) as row_count
    from events
    inner join accounts
        on events.account_id = accounts.account_id
    where not accounts.is_known_account
    union all
    select
        'unknown_accounts' as check_name,
        'kept; account attributes unknown' as check_detail,
        count(*) as row_count
    from accounts
    where not accounts.is_known_account
    union all
    select
        'events_after_uninstall' as check_name,
        'kept; left out of every metric' as check_detail,
        count(*) as row_count
    from events
    where is_after_uninstall
    union all
    select
        'events_after_as_of_date' as check_name,
        'kept; left out of every mart' as check_detail,
        count(*) as row_count
    from events
    cross join as_of
    where events.event_date > as_of.as_of_date
    union all
    select
        'late_loaded_events' as check_name,
        'loaded more than the lookback after they occurred' as check_detail,
        count(*) as row_count
    from events
    where events.loaded_at > {{ dbt.dateadd('day', var('incremental_lookback_days'), 'events.occurred_at') }}
),

final as (
    select
        cast(measures.check_name as {{ dbt.type_string() }}) as check_name,
        cast(measures.check_detail as {{ dbt.type_string() }}) as check_detail,
        cast(coalesce(measures.row_count, 0) as {{ dbt.type_bigint() }}) as row_count,
        as_of.as_of_date
    from measures
    cross join as_of
)

select * from final
