-- What cleaning did to the raw events, as one row per measure: where every
-- raw row of each source went (clean, quarantined by reason, collapsed), with
-- `all` roll-ups over the sources, and the valid but awkward rows that were
-- kept (metric-definitions §2).
with

-- every raw row as staging sorted it (reasons 1-7) ...
staged as (
    select
        'product' as raw_source,
        event_id,
        rejection_reason,
        collapsed_duplicate_count
    from {{ ref('base_product__integration_events_triaged') }}
    {%- if integration_adoption.partner_webhooks_enabled() %}
        union all
        select
            'partner_webhooks' as raw_source,
            event_id,
            rejection_reason,
            collapsed_duplicate_count
        from {{ ref('base_partner_webhooks__integration_events_triaged') }}
    {%- endif %}
),

-- ... and the clean ones whose connection belongs to another account or
-- integration (reason 8, decided across the sources)
mismatched as (
    select * from {{ ref('int_connection_events_mismatched') }}
),

triaged as (
    select
        staged.raw_source,
        coalesce(staged.rejection_reason, mismatched.rejection_reason) as rejection_reason,
        staged.collapsed_duplicate_count
    from staged
    left join mismatched
        on
            staged.rejection_reason is null
            and staged.raw_source = mismatched.raw_source
            and staged.event_id = mismatched.event_id
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

-- per raw source
triage_measures as (
    select
        raw_source,
        'raw_rows' as check_name,
        'all' as check_detail,
        count(*) + sum(collapsed_duplicate_count) as row_count
    from triaged
    group by raw_source
    union all
    select
        raw_source,
        'clean_rows' as check_name,
        'all' as check_detail,
        count(*) as row_count
    from triaged
    where rejection_reason is null
    group by raw_source
    union all
    select
        raw_source,
        'quarantined_rows' as check_name,
        rejection_reason as check_detail,
        count(*) as row_count
    from triaged
    where rejection_reason is not null
    group by raw_source, rejection_reason
    union all
    select
        raw_source,
        'collapsed_duplicate_rows' as check_name,
        'all' as check_detail,
        sum(collapsed_duplicate_count) as row_count
    from triaged
    group by raw_source
),

measures as (
    select
        raw_source,
        check_name,
        check_detail,
        row_count
    from triage_measures
    union all
    select
        'all' as raw_source,
        check_name,
        check_detail,
        sum(row_count) as row_count
    from triage_measures
    group by check_name, check_detail
    union all
    -- the checks below read the clean events of every source
    select
        'all' as raw_source,
        'unknown_account_events' as check_name,
        'kept; account attributes unknown' as check_detail,
        count(*) as row_count
    from events
    inner join accounts
        on events.account_id = accounts.account_id
    where not accounts.is_known_account
    union all
    select
        'all' as raw_source,
        'unknown_accounts' as check_name,
        'kept; account attributes unknown' as check_detail,
        count(*) as row_count
    from accounts
    where not accounts.is_known_account
    union all
    select
        'all' as raw_source,
        'events_after_uninstall' as check_name,
        'kept; left out of every metric' as check_detail,
        count(*) as row_count
    from events
    where is_after_uninstall
    union all
    select
        'all' as raw_source,
        'events_after_as_of_date' as check_name,
        'kept; left out of every mart' as check_detail,
        count(*) as row_count
    from events
    cross join as_of
    where events.event_date > as_of.as_of_date
    union all
    select
        'all' as raw_source,
        'late_loaded_events' as check_name,
        'loaded more than the lookback after they occurred' as check_detail,
        count(*) as row_count
    from events
    where events.loaded_at > {{ dbt.dateadd('day', var('incremental_lookback_days'), 'events.occurred_at') }}
),

final as (
    select
        cast(measures.raw_source as {{ dbt.type_string() }}) as raw_source,
        cast(measures.check_name as {{ dbt.type_string() }}) as check_name,
        cast(measures.check_detail as {{ dbt.type_string() }}) as check_detail,
        cast(coalesce(measures.row_count, 0) as {{ dbt.type_bigint() }}) as row_count,
        as_of.as_of_date
    from measures
    cross join as_of
)

select * from final
