"""Every model declares its grain: a primary-key test that dbt runs on every build.

A dbt-bouncer custom check, loaded by path from ``custom_checks_dir`` in
dbt-bouncer.yml (so it is not imported as part of the package).
"""

from typing import Any

from dbt_bouncer.check_framework.decorator import check, fail
from dbt_bouncer.utils import get_clean_model_name


def _test_name(test: Any) -> str | None:
    metadata = getattr(test, "test_metadata", None)
    return getattr(metadata, "name", None) if metadata else None


def _covers_every_row(test: Any) -> bool:
    """A test with a `where` filter checks a subset, which is no primary key."""
    config = getattr(test, "config", None)
    return not getattr(config, "where", None)


@check
def check_model_has_primary_key_test(
    model: Any,
    ctx: Any,
    *,
    combination_test_names: tuple[str, ...] = ("unique_combination_of_columns",),
) -> None:
    """Models must have a primary-key test on every row.

    Passes when one column carries both `unique` and `not_null`, or the model
    carries a grain test (`unique_combination_of_columns`); tests restricted
    by a `where` filter do not count.
    """
    tests = [
        test
        for test in ctx.tests_by_attached_node.get(model.unique_id, [])
        if _covers_every_row(test)
    ]
    if any(_test_name(test) in combination_test_names for test in tests):
        return
    names_by_column: dict[str, set[str]] = {}
    for test in tests:
        column = getattr(test, "column_name", None)
        name = _test_name(test)
        if column and name:
            names_by_column.setdefault(column, set()).add(name)
    if any({"unique", "not_null"} <= names for names in names_by_column.values()):
        return
    fail(
        f"`{get_clean_model_name(model.unique_id)}` has no primary-key test: add `unique` and "
        f"`not_null` on its key column, or `{combination_test_names[0]}` on its grain "
        "(tests with a `where` filter do not count)."
    )
