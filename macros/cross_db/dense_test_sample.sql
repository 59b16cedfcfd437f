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
