{#- The connections a test that checks connection × day checks day by day:
    those listed in the var `dense_test_connection_ids` and one in
    `dense_test_sample_buckets` of the others, chosen by hash_bucket. A
    predicate on `column`; the same connections on every engine and run. -#}
{% macro dense_test_sample(column) -%}
    {%- set pinned = var('dense_test_connection_ids', []) -%}
    (
        {% if pinned -%}
            {{ column }} in ('{{ pinned | join("', '") }}') or
        {% endif -%}
        {{ integration_adoption.hash_bucket(column, var('dense_test_sample_buckets', 100)) }} = 0
    )
{%- endmacro %}

{#- The rows of `relation` a dense check of id × day keeps (issue 17 item
    6), as a subquery: the last `dense_test_recent_days` days (default 7) up
    to the as-of date of every id, and the days before them of the ids
    dense_test_sample picks. Two arms, so the recent days are a range on
    the day alone and only the older rows pay for the hash. -#}
{% macro dense_test_rows(relation, id_column, day_column) -%}
    {%- set recent_start -%}
        (
            select {{ integration_adoption.add_days(-var('dense_test_recent_days', 7), 'as_of_date') }}
            from {{ ref('int_as_of_date') }}
        )
    {%- endset -%}
    (
        select * from {{ relation }}
        where {{ day_column }} > {{ recent_start }}
        union all
        select * from {{ relation }}
        where
            {{ day_column }} <= {{ recent_start }}
            and {{ integration_adoption.dense_test_sample(id_column) }}
    )
{%- endmacro %}
