{#- Every row (or every row matching `where`) satisfies the expression. -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(
    {%- if column_name %} {{ column_name }} {% endif %} {{ expression }}, false
)

{% endtest %}
