-- What cleaning did to the raw events, as one row per measure: where every
-- raw row of each source went (clean, quarantined by reason, collapsed), with
-- `all` roll-ups over the sources, and the valid but awkward rows that were
-- kept (metric-definitions §2).
{%- set triage_models = [('product', ref('base_product__integration_events_triaged'))] %}
{%- if integration_adoption.partner_webhooks_enabled() %}
    {%- do triage_models.append(('partner_webhooks', ref('base_partner_webhooks__integration_events_triaged'))) %}
{%- endif %}
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

-- every raw row as staging sorted it (reasons 1-7), counted per reason, with
-- the event checks' counts (the clean rows' group holds the clean events'):
-- an aggregate over a few narrow columns, never a join of every row ...
staged as (
    {%- for raw_source, triaged in triage_models %}
        select
            '{{ raw_source }}' as raw_source,
            counted_events.rejection_reason,
            count(*) as row_count,
            sum(counted_events.collapsed_duplicate_count) as collapsed_count,
            {{ integration_adoption.event_check_counts('counted_events', 'as_of') }}
        from {{ triaged }} as counted_events
        cross join as_of
        group by counted_events.rejection_reason
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

-- ... and the clean ones whose connection belongs to another account or
-- integration (reason 8, decided across the sources): each is one of its
-- source's clean rows (one per event_id), so it moves from clean to its
-- reason; with its event checks' counts, taken off the clean events' below
mismatched as (
    select
        counted_events.raw_source,
        counted_events.rejection_reason,
        count(*) as row_count,
        {{ integration_adoption.event_check_counts('counted_events', 'as_of') }}
    from {{ ref('int_connection_events_mismatched') }} as counted_events
    cross join as_of
    group by counted_events.raw_source, counted_events.rejection_reason
),

-- (one reason, so one row per source: the clean count less it)
per_reason as (
    select
        staged.raw_source,
        staged.rejection_reason,
        staged.row_count - coalesce(mismatched.row_count, 0) as row_count
    from staged
    left join mismatched
        on
            staged.rejection_reason is null
            and staged.raw_source = mismatched.raw_source
    union all
    select
        raw_source,
        rejection_reason,
        row_count
    from mismatched
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

-- the checks on the events of the union: a union event is a clean event
-- that is not mismatched, so its counts are those of the clean events less
-- those of the mismatched ones, and only the few after an uninstall are read
-- from the union (100 M events: a read of the whole union took 6.0 s)
checked_counts as (
    select
        after_as_of_count,
        late_loaded_count
    from staged
    where rejection_reason is null
    union all
    select
        -after_as_of_count as after_as_of_count,
        -late_loaded_count as late_loaded_count
    from mismatched
),

-- one row per event check (an aggregate without groups: always one row)
event_checks as (
    select
        'events_after_uninstall' as check_name,
        'kept; left out of every metric' as check_detail,
        count(*) as row_count
    from {{ ref('int_connection_events_unioned') }}
    where is_after_uninstall
    union all
    select
        'events_after_as_of_date' as check_name,
        'kept; left out of every mart' as check_detail,
        sum(after_as_of_count) as row_count
    from checked_counts
    union all
    select
        'late_loaded_events' as check_name,
        'loaded more than the lookback after they occurred' as check_detail,
        sum(late_loaded_count) as row_count
    from checked_counts
),

-- per raw source
triage_measures as (
    select
        raw_source,
        'raw_rows' as check_name,
        'all' as check_detail,
        sum(row_count) + sum(collapsed_count) as row_count
    from staged
    group by raw_source
    union all
    select
        raw_source,
        'clean_rows' as check_name,
        'all' as check_detail,
        row_count
    from per_reason
    where rejection_reason is null and row_count > 0
    union all
    select
        raw_source,
        'quarantined_rows' as check_name,
        rejection_reason as check_detail,
        row_count
    from per_reason
    where rejection_reason is not null
    union all
    select
        raw_source,
        'collapsed_duplicate_rows' as check_name,
        'all' as check_detail,
        sum(collapsed_count) as row_count
    from staged
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
    -- int_accounts counts each account's clean events: those of the accounts
    -- seen only in events are the events kept with unknown attributes
    select
        'all' as raw_source,
        'unknown_account_events' as check_name,
        'kept; account attributes unknown' as check_detail,
        sum(event_count) as row_count
    from accounts
    where not is_known_account
    union all
    select
        'all' as raw_source,
        'unknown_accounts' as check_name,
        'kept; account attributes unknown' as check_detail,
        count(*) as row_count
    from accounts
    where not is_known_account
    union all
    select
        'all' as raw_source,
        check_name,
        check_detail,
        row_count
    from event_checks
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
