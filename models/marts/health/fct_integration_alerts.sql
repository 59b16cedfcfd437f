-- One row per alert firing (metric-definitions §7): the day a condition
-- becomes true. A condition that stays true does not fire again until it has
-- cleared. Each alert type is one model (models/intermediate/alerts/), all in
-- the same columns; this mart unions them and adds what they share: the
-- alert_types seed's severity, channel and recommended action, and alert_id,
-- which hashes (alert type, connection or account, fired date), so the same
-- data always yields the same alerts; late data can retract or move an alert
-- on the next build, so consumers upsert by alert_id.
with

activation_stalled as (
    select * from {{ ref('int_alerts_activation_stalled') }}
),

health_degradation as (
    select * from {{ ref('int_alerts_health_degradation') }}
),

abandonment as (
    select * from {{ ref('int_alerts_abandonment') }}
),

api_limit_proximity as (
    select * from {{ ref('int_alerts_api_limit_proximity') }}
),

expansion_ready as (
    select * from {{ ref('int_alerts_expansion_ready') }}
),

alert_types as (
    select * from {{ ref('alert_types') }}
),

firings as (
    {%- for alert_type in [
        'activation_stalled', 'health_degradation', 'abandonment', 'api_limit_proximity', 'expansion_ready',
    ] %}
        select
            account_id,
            connection_id,
            integration_key,
            alert_type,
            evidence_metric,
            evidence_value,
            threshold_value,
            fired_date,
            projected_limit_date,
            as_of_date
        from {{ alert_type }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        ---------- ids
        cast(
            {{ dbt.hash(dbt.concat([
                'firings.alert_type', "'|'",
                "coalesce(firings.connection_id, firings.account_id)", "'|'",
                'cast(firings.fired_date as ' ~ dbt.type_string() ~ ')',
            ])) }} as {{ dbt.type_string() }}
        ) as alert_id,
        cast(firings.account_id as {{ dbt.type_string() }}) as account_id,
        cast(firings.connection_id as {{ dbt.type_string() }}) as connection_id,
        cast(firings.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast(firings.alert_type as {{ dbt.type_string() }}) as alert_type,
        cast(alert_types.severity as {{ dbt.type_string() }}) as severity,
        cast(alert_types.channel as {{ dbt.type_string() }}) as channel,
        cast(alert_types.recommended_action as {{ dbt.type_string() }}) as recommended_action,
        cast(firings.evidence_metric as {{ dbt.type_string() }}) as evidence_metric,

        ---------- numerics
        cast(firings.evidence_value as {{ integration_adoption.type_double() }}) as evidence_value,
        cast(firings.threshold_value as {{ integration_adoption.type_double() }}) as threshold_value,

        ---------- dates
        cast(firings.fired_date as date) as fired_date,
        cast(firings.projected_limit_date as date) as projected_limit_date,
        cast(firings.as_of_date as date) as as_of_date
    from firings
    inner join alert_types
        on firings.alert_type = alert_types.alert_type
)

select * from final
