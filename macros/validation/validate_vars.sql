{#-
    Refuses a project var whose value the SQL cannot take as intended, with a
    message naming the var (README "Bad data", docs/bad_data.md). Called while
    the Jinja is rendered: by int_as_of_date (so `dbt parse` and `dbt compile`
    refuse too) and by the on-run-start hook (so nothing runs). Vars are
    pasted into SQL text: a var that is not what it says (a date that is not
    a date, SQL in `as_of_date`) must stop here, never reach the warehouse.

    - as_of_date: null, or a calendar date written YYYY-MM-DD;
    - day counts and other counts: whole numbers ≥ 0 (≥ 1 where noted);
    - shares, rates and percentiles: numbers in 0..1;
    - band cuts: ascending numbers; segments: lowercase names;
    - raw_data_path (or IA_RAW_DATA_PATH): any text on one line (a quote is
      doubled where DuckDB reads it; on Spark, whose hook writes the path
      into a LOCATION literal, a quote is refused);
    - raw_schema, raw_database: plain identifiers.
-#}
{% macro validate_vars() -%}
    {%- set problems = [] -%}

    {#- ---------- the as-of date -#}
    {%- set as_of = var('as_of_date') -%}
    {%- if as_of is not none and not integration_adoption.is_calendar_date(as_of) -%}
        {%- do problems.append(
            "as_of_date must be a date written YYYY-MM-DD (or null for the latest clean event), got "
            ~ '"' ~ as_of ~ '"') -%}
    {%- endif -%}

    {#- ---------- whole numbers -#}
    {%- set whole_numbers = {
        'incremental_lookback_days': 0, 'future_timestamp_tolerance_days': 0,
        'retention_30d_days': 1, 'retention_90d_days': 1, 'health_daily_history_days': 1,
        'health_short_window_days': 1, 'health_long_window_days': 1,
        'activation_stalled_days': 0, 'health_degradation_min_attempts': 0,
        'abandonment_min_days': 0, 'expansion_ready_integrations': 1,
        'impact_t0_months_before_last_complete': 0, 'impact_horizon_months': 1,
        'impact_t0_step_months': 1, 'impact_min_history_months': 0,
        'mrr_band_quantiles': 1, 'retention_weeks': 0, 'retention_months': 0,
        'flattening_min_observable': 0,
    } -%}
    {%- for name, minimum in whole_numbers.items() -%}
        {%- set value = var(name) -%}
        {%- if value is boolean or value is not number or value != (value | int) or value < minimum -%}
            {%- do problems.append(
                name ~ " must be a whole number ≥ " ~ minimum ~ ", got " ~ '"' ~ value ~ '"') -%}
        {%- endif -%}
    {%- endfor -%}

    {#- ---------- numbers in a range -#}
    {%- set ranges = {
        'default_healthy_activation_rate': [0, 1], 'default_healthy_retention_90d_rate': [0, 1],
        'benchmark_under_adopter_percentile': [0, 1], 'benchmark_power_user_percentile': [0, 1],
        'health_degradation_success_rate': [0, 1], 'api_limit_proximity_share': [0, 1],
        'flattening_max_step': [0, 1], 'health_band_healthy_min': [0, 100],
        'health_band_needs_attention_min': [0, 100], 'health_trend_flat_points': [0, 100],
    } -%}
    {%- for name, bounds in ranges.items() -%}
        {%- set value = var(name) -%}
        {%- if value is boolean or value is not number or value < bounds[0] or value > bounds[1] -%}
            {%- do problems.append(
                name ~ " must be a number in " ~ bounds[0] ~ ".." ~ bounds[1] ~ ", got " ~ '"' ~ value ~ '"') -%}
        {%- endif -%}
    {%- endfor -%}

    {#- ---------- lists -#}
    {%- for name in ['employee_band_cuts', 'tenure_band_cuts_months'] -%}
        {%- set value = var(name) -%}
        {%- set ns = namespace(ok=(value is sequence and value is not string and value | length > 0), previous=none) -%}
        {%- if ns.ok -%}
            {%- for cut in value -%}
                {%- if cut is boolean or cut is not number or (ns.previous is not none and cut <= ns.previous) -%}
                    {%- set ns.ok = false -%}
                {%- else -%}
                    {%- set ns.previous = cut -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
        {%- if not ns.ok -%}
            {%- do problems.append(name ~ " must be a list of ascending numbers, got " ~ '"' ~ value ~ '"') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set segments = var('segments') -%}
    {%- set ns = namespace(ok=(segments is sequence and segments is not string and segments | length > 0)) -%}
    {%- if ns.ok -%}
        {%- for segment in segments -%}
            {%- if segment is not string or not modules.re.match('^[a-z][a-z0-9_]*$', segment) -%}
                {%- set ns.ok = false -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not ns.ok -%}
        {%- do problems.append("segments must be a list of lowercase names (smb, mid_market, …), got " ~ '"' ~ segments ~ '"') -%}
    {%- endif -%}
    {%- if var('raw_from_files') is not boolean -%}
        {%- do problems.append("raw_from_files must be true or false, got " ~ '"' ~ var('raw_from_files') ~ '"') -%}
    {%- endif -%}

    {#- ---------- where the raw data is -#}
    {%- set raw_path = var('raw_data_path') or env_var('IA_RAW_DATA_PATH', 'data/raw') -%}
    {%- set path_name = 'raw_data_path' if var('raw_data_path') else 'IA_RAW_DATA_PATH (raw_data_path is null)' -%}
    {%- if raw_path is not string -%}
        {%- do problems.append(path_name ~ " must be a folder path, got " ~ '"' ~ raw_path ~ '"') -%}
    {%- elif modules.re.search('[\\x00-\\x1f]', raw_path) -%}
        {%- do problems.append(path_name ~ " must be a path on one line (no control characters), got " ~ '"' ~ raw_path ~ '"') -%}
    {%- elif target.type == 'spark' and "'" in raw_path -%}
        {%- do problems.append(path_name ~ " may not contain a single quote on Spark (the raw folders are registered with a LOCATION literal), got " ~ '"' ~ raw_path ~ '"') -%}
    {%- endif -%}
    {%- for name in ['raw_schema', 'raw_database'] -%}
        {%- set value = var(name) -%}
        {%- if value is not none and (value is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_$]*$', value)) -%}
            {%- do problems.append(name ~ " must be a plain identifier (letters, digits, _), got " ~ '"' ~ value ~ '"') -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "invalid var" ~ ("s" if problems | length > 1 else "") ~ " (dbt_project.yml or --vars):\n  - "
            ~ problems | join("\n  - ")
        ) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

