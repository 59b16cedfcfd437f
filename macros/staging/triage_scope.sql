{#-
    The raw rows an incremental triage must (re)classify, as a select over
    `source_relation` (a relation or a CTE name with raw column names).

    A full build: every row. An incremental build: every raw row of every
    triage key (the trimmed event_id; '' for rows without one) that has a row
    loaded since the newest stored loaded_at minus `incremental_lookback_days`,
    plus the keys stored as unknown_event_name / unknown_integration whose
    event name or integration the seeds now know, so a new mapping or catalog
    row brings them back (metric-definitions §2). The
    triage of a key depends only on its own raw rows, so re-sorting these
    keys from all their raw rows and replacing them (delete+insert on
    triage_key) equals a full refresh.

    The model's pre-hook (log_triage_scope) finds those keys and writes them
    to the replaced-keys log, where this select reads them and the
    uniqueness tests of the event models find what the run rewrote. The rows
    loaded since the cutoff are read by a filter on the load column; a narrow
    pass (only the id and load columns over the whole history) finds the raw
    spellings of the keys among the older rows, whose wide columns are read
    only when there are any (an event delivered again).

    Raw rows loaded before the cutoff under keys not in scope (a backfill with
    old load times, a new integration's history) are not read: the test
    raw_rows_reconcile on the triaging model then stops the build before any
    model downstream, with the counts and the remedy, a full refresh.
-#}
{% macro triage_scope(source_relation, event_id_column='event_id', loaded_at_column='loaded_at') -%}
    {{ return(adapter.dispatch('triage_scope', 'integration_adoption')(source_relation, event_id_column, loaded_at_column)) }}
{%- endmacro %}

{% macro default__triage_scope(source_relation, event_id_column, loaded_at_column) -%}
{#- the key as triage_raw_events computes it: trimmed of Unicode White_Space -#}
{%- set trimmed_key = integration_adoption.triage_key_of(event_id_column) -%}
{%- set cutoff = integration_adoption.triage_scope_cutoff() -%}
{%- if cutoff is none -%}
    select * from {{ source_relation }}
{%- else -%}
    {%- set loaded_since_cutoff -%}
        {{ loaded_at_column }} >= cast('{{ cutoff }}' as {{ dbt.type_timestamp() }})
    {%- endset -%}
    with

    -- the keys the pre-hook logged for this run (log_triage_scope)
    scope_keys as (
        {{ integration_adoption.replaced_keys_this_run([integration_adoption.replaced_days_log_name(this)]) }}
    ),

    -- the raw spellings of those keys ('evt_1' and ' evt_1 ' are one key) among
    -- the rows loaded before the cutoff (or without a load time): an event
    -- delivered again. An id without White_Space at its ends is its own key,
    -- found by an exact lookup; only the others are trimmed first (100 M
    -- events, measured with the former regular-expression check: the trimmed
    -- key of every raw id looked up took 15 s, these two reads 10 s). Only the
    -- id and load columns are read here.
    older_spellings as (
        select {{ event_id_column }} as raw_event_id
        from {{ source_relation }}
        where
            not coalesce({{ loaded_since_cutoff }}, false)
            and cast({{ event_id_column }} as {{ dbt.type_string() }})
            in (select scope_keys.replaced_key from scope_keys)
        union
        select {{ event_id_column }} as raw_event_id
        from {{ source_relation }}
        where
            not coalesce({{ loaded_since_cutoff }}, false)
            and not coalesce({{ integration_adoption.ends_without_white_space(
                'cast(' ~ event_id_column ~ ' as ' ~ dbt.type_string() ~ ')') }}, false)
            and {{ trimmed_key }} in (select scope_keys.replaced_key from scope_keys)
    )

    -- the rows loaded since the cutoff, whose keys are the scope (a row that
    -- arrived after the pre-hook is left to the next run): a filter on the
    -- load column, which reaches the scan, so only these rows are read whole
    -- (100 M events: 3.5 s, where a lookup of the keys read every row's
    -- columns, 14 s)
    select * from {{ source_relation }}
    where
        {{ loaded_since_cutoff }}
        and {{ trimmed_key }} in (select scope_keys.replaced_key from scope_keys)
    union all
    -- the older rows of those keys: read whole only when there are any
    select * from {{ source_relation }}
    where
        not coalesce({{ loaded_since_cutoff }}, false)
        and {{ event_id_column }} in (select older_spellings.raw_event_id from older_spellings)
    union all
    -- older rows without an event_id are one key: all of them, if it is in scope
    select * from {{ source_relation }}
    where
        not coalesce({{ loaded_since_cutoff }}, false)
        and {{ event_id_column }} is null
        and exists (select 1 from older_spellings where older_spellings.raw_event_id is null)
{%- endif -%}
{%- endmacro %}

{#- The triage key of a raw id column, as triage_raw_events computes it:
    trimmed of Unicode White_Space, '' when missing. -#}
{% macro triage_key_of(event_id_column) -%}
    coalesce(nullif({{ integration_adoption.trim_white_space(
        'cast(' ~ event_id_column ~ ' as ' ~ dbt.type_string() ~ ')') }}, ''), '')
{%- endmacro %}

{#- The load time from which an incremental triage re-sorts keys: the newest
    stored loaded_at minus `incremental_lookback_days`; none on a full build
    or an empty table. Read when the model (or its pre-hook) is compiled. -#}
{% macro triage_scope_cutoff() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set cutoff_query -%}
        select cast({{ dbt.dateadd('day', -var('incremental_lookback_days'), 'max(loaded_at)') }} as {{ dbt.type_timestamp() }})
        from {{ this }}
    {%- endset -%}
    {{ return(run_query(cutoff_query).columns[0][0]) }}
{%- endmacro %}

{#- Pre-hook of a triage model: on an incremental run, the keys in scope
    (those with a raw row loaded since the cutoff, and those stored as
    unknown_event_name / unknown_integration that the seeds now know: a new
    mapping or catalog row brings them back, §2; the others would be sorted
    as they are) go to the replaced-keys log
    with a row without a key that says the run was incremental; the model
    reads them back (triage_scope), the uniqueness tests of the event models
    too (unique_keys_replaced_this_run). On a full build the model's rows of
    the log are dropped. Nothing on Spark, where the model is a table. -#}
{% macro log_triage_scope(
    source_relation, event_name_map, integration_catalog, event_id_column='event_id', loaded_at_column='loaded_at'
) -%}
    {{ return(adapter.dispatch('log_triage_scope', 'integration_adoption')(
        source_relation, event_name_map, integration_catalog, event_id_column, loaded_at_column)) }}
{%- endmacro %}

{% macro default__log_triage_scope(source_relation, event_name_map, integration_catalog, event_id_column, loaded_at_column) -%}
    {%- set cutoff = integration_adoption.triage_scope_cutoff() -%}
    {%- if cutoff is none -%}
        delete from {{ integration_adoption.replaced_keys_log() }}
        where relation_name = '{{ integration_adoption.replaced_days_log_name(this) }}'
    {%- else -%}
        {%- set scope_keys -%}
            select {{ integration_adoption.triage_key_of(event_id_column) }} as replaced_key
            from {{ source_relation }}
            where {{ loaded_at_column }} >= cast('{{ cutoff }}' as {{ dbt.type_timestamp() }})
            union
            select stored.triage_key as replaced_key
            from {{ this }} as stored
            where
                (
                    stored.rejection_reason = 'unknown_event_name'
                    and exists (
                        select 1 from {{ event_name_map }} as event_name_map
                        where
                            event_name_map.source_system = stored.source_system
                            and event_name_map.source_event_name = stored.source_event_name
                    )
                )
                or (
                    stored.rejection_reason = 'unknown_integration'
                    and stored.integration_key in (
                        select integration_catalog.integration_key from {{ integration_catalog }} as integration_catalog
                    )
                )
        {%- endset -%}
        {{ integration_adoption.log_replaced_keys(this, scope_keys) }}
    {%- endif %}
{%- endmacro %}

{% macro spark__log_triage_scope(source_relation, event_name_map, integration_catalog, event_id_column, loaded_at_column) -%}
{%- endmacro %}
