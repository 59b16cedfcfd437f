{#- The grain test: no two rows share the same values of these columns.
    `dense_sample` [id column, day column], for a grain of id × day denser
    than the marts store: only the rows dense_test_rows keeps (the last days
    and a sample of ids; issue 17 item 6). -#}
{% test unique_combination_of_columns(model, combination_of_columns, dense_sample=none) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
{%- if dense_sample %}
from {{ integration_adoption.dense_test_rows(model, dense_sample[0], dense_sample[1]) }} as dense_sample
{%- else %}
from {{ model }}
{%- endif %}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
