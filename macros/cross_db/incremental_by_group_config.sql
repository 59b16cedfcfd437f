{#- The config of an incremental model stored in groups (the §8 analyses:
    integration × T0) that a run rewrites only where they changed: strategy
    replace_groups (get_incremental_replace_groups_sql) on the
    `group_columns`.
    Without `follows`, the model is a source of groups: it selects every
    row on every run, and the strategy writes the groups whose rows differ
    from the stored ones (new, changed or gone; rows paired on `unique_key`,
    required then), each then versioned by this invocation
    (ia_group_versions, macro record_group_versions).
    With `follows` (the name of such a source model), the model selects only
    the groups whose source version differs from the one it was last
    computed from (groups_to_rebuild), and the strategy replaces
    those. So a day's run that changes no group reads and writes none, and a
    follower that missed a run of its source catches up on the next.
    `basis` (optional, with `follows`): the other things the follower's rows
    depend on, e.g. the vars it reads (rendered into meta; with the seeds it
    reads, group_versions_basis): when they change, every group is computed
    again.
    Spark's Parquet tables have no delete, so there the model is a table
    rebuilt each run; both equal a full refresh. -#}
{% macro incremental_by_group_config(group_columns, follows=none, basis=none, unique_key=none) -%}
    {%- if not follows and not unique_key -%}
        {{ exceptions.raise_compiler_error('incremental_by_group_config: a source of groups needs unique_key') }}
    {%- endif -%}
    {{ return(adapter.dispatch('incremental_by_group_config', 'integration_adoption')(
        group_columns, follows, basis, unique_key)) }}
{%- endmacro %}

{% macro default__incremental_by_group_config(group_columns, follows, basis, unique_key) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'replace_groups',
        'on_schema_change': 'fail',
        'meta': {'replace_groups': {
            'columns': group_columns, 'follows': follows, 'basis': tojson(basis) if basis else none,
            'unique_key': unique_key}},
        'post_hook': ["{{ integration_adoption.record_group_versions() }}"],
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_group_config(group_columns, follows, basis, unique_key) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}
