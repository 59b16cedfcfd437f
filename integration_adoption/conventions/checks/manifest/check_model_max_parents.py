"""A model reads at most a few parents: models, seeds, snapshots and sources together.

A dbt-bouncer custom check, loaded by path from ``custom_checks_dir`` in
dbt-bouncer.yml (so it is not imported as part of the package). dbt-bouncer's
own ``check_model_max_upstream_dependencies`` counts models and sources apart
and ignores seeds; the house style counts every table a model reads.
"""

from typing import Any

from dbt_bouncer.check_framework.decorator import check, fail
from dbt_bouncer.utils import get_clean_model_name

PARENT_TYPES = ("model", "seed", "snapshot", "source")


def _parents(model: Any) -> list[str]:
    """The distinct tables a model reads, as `<type>.<name>` (macros do not count)."""
    depends_on = getattr(model, "depends_on", None)
    nodes = getattr(depends_on, "nodes", None) or []
    names = {
        f"{node.split('.')[0]}.{'.'.join(node.split('.')[2:])}"
        for node in nodes
        if node.split(".")[0] in PARENT_TYPES
    }
    return sorted(names)


@check
def check_model_max_parents(model: Any, *, max_parents: int = 6) -> None:
    """Models must not read more than `max_parents` models, seeds, snapshots and sources."""
    parents = _parents(model)
    if len(parents) > max_parents:
        fail(
            f"`{get_clean_model_name(model.unique_id)}` has {len(parents)} parents "
            f"({', '.join(parents)}), more than the permitted {max_parents} "
            "(models, seeds, snapshots and sources together): split it by concern."
        )
