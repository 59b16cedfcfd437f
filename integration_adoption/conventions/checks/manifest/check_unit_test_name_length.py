"""A unit test's name fits in a relation name on every engine the project supports.

A dbt-bouncer custom check, loaded by path from ``custom_checks_dir`` in
dbt-bouncer.yml (so it is not imported as part of the package). dbt names the
relation it builds for a unit test after the test; PostgreSQL stops a relation
name at 63 characters and dbt-postgres fails the test rather than cut it. DuckDB
and Spark take the long name, so only the engine run in CI would notice: this
check says so at `make test`, with room for a version suffix (``_v1``).
"""

from typing import Any

from dbt_bouncer.check_framework.decorator import check, fail


@check
def check_unit_test_name_length(unit_test: Any, *, max_name_length: int = 60) -> None:
    """Unit tests must have names of at most `max_name_length` characters."""
    name = unit_test.name
    if len(name) > max_name_length:
        fail(
            f"The unit test `{name}` of `{unit_test.model}` has a name of {len(name)} "
            f"characters, more than the permitted {max_name_length}: PostgreSQL names a "
            "relation after it and stops at 63 characters. Shorten the name."
        )
