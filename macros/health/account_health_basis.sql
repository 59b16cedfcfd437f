{#- What the stale-score check of fct_account_health_daily reads of each
    account (drop_stale_account_health_scores): the first install (the
    earliest of its health inputs), the first month int_account_alive_months
    holds, and the months it holds that are not alive, as one text of their
    first days in order ('2025-03-01 2025-04-01'; null when none). The held
    months run from the first to the as-of date's, so these decide every
    month's status the check looks up. One row per account. -#}
{% macro account_health_basis(inputs, alive_months) -%}
    select
        first_installs.account_id,
        first_installs.first_installed_date,
        months.first_month_start_date,
        months.dead_months
    from (
        select
            account_id,
            min(first_installed_date) as first_installed_date
        from {{ inputs }}
        group by account_id
    ) as first_installs
    inner join (
        select
            account_id,
            min(month_start_date) as first_month_start_date,
            {{ dbt.listagg(
                'case when not is_alive then cast(month_start_date as ' ~ dbt.type_string() ~ ') end',
                "' '", 'order by month_start_date') }} as dead_months
        from {{ alive_months }}
        group by account_id
    ) as months
        on first_installs.account_id = months.account_id
{%- endmacro %}

{#- The basis the stored scores were last written with: a table in the
    target schema that record_account_health_basis replaces at the end of
    each run of fct_account_health_daily (in its transaction). -#}
{% macro account_health_basis_relation() -%}
    {{ return(api.Relation.create(
        database=target.database, schema=target.schema, identifier='ia_account_health_basis')) }}
{%- endmacro %}

{#- Whether the recorded basis `relation` has the columns account_health_basis
    returns now, in order (read without running it): a record written by a
    version with other columns cannot be compared with. -#}
{% macro account_health_basis_is_current(relation, inputs, alive_months) -%}
    {%- set current = get_columns_in_query(integration_adoption.account_health_basis(inputs, alive_months)) -%}
    {%- set recorded = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {{ return(recorded | map('lower') | list == current | map('lower') | list) }}
{%- endmacro %}

{#- Post-hook of fct_account_health_daily, full refresh or incremental: the
    basis of the scores it has just written. Nothing on Spark, where the
    model is a table rebuilt each run and no check reads it. -#}
{% macro record_account_health_basis(inputs, alive_months) -%}
    {{ return(adapter.dispatch('record_account_health_basis', 'integration_adoption')(inputs, alive_months)) }}
{%- endmacro %}

{% macro default__record_account_health_basis(inputs, alive_months) -%}
    {%- set basis = integration_adoption.account_health_basis_relation() -%}
    drop table if exists {{ basis }};
    create table {{ basis }} as
    {{ integration_adoption.account_health_basis(inputs, alive_months) }}
{%- endmacro %}

{% macro spark__record_account_health_basis(inputs, alive_months) -%}
{%- endmacro %}
