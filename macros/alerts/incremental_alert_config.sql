{#- The config of an incremental alert model (one row per firing, with
    rates_through_date: the newest day of int_connection_success_rates when
    its firings were derived): strategy replace_days on fired_date, the first
    day its newest rates_through_date minus the success rates' window and the
    lookback (the first day the success rates re-derive from), and the
    post-hook that restamps the rows kept (restamp_alert_watermarks). -#}
{% macro incremental_alert_config() -%}
    {%- set alert_config = integration_adoption.incremental_replace_days_config(
        'fired_date', var('health_short_window_days'), first_day_column='rates_through_date',
        rewritten_columns=['as_of_date', 'rates_through_date']) -%}
    {%- do alert_config.update({'post_hook': ['{{ integration_adoption.restamp_alert_watermarks() }}']}) -%}
    {{ return(alert_config) }}
{%- endmacro %}

{#- That first day, as a literal (incremental_first_day_literal), so the
    filters on it reach the scans; while the model stores no firing, every
    day. -#}
{% macro incremental_alert_first_day() -%}
    {{ return('coalesce(' ~ integration_adoption.incremental_first_day_literal(
        'rates_through_date', var('health_short_window_days')) ~ ", cast('1900-01-01' as date))") }}
{%- endmacro %}
