"""Every table a model reads is named in the model's own file.

A dbt-bouncer custom check, loaded by path from ``custom_checks_dir`` in
dbt-bouncer.yml (so it is not imported as part of the package). A macro that
calls ``ref()`` or ``source()`` itself hides a parent from a reader of the
model: the model passes the relation in (``triage_raw_events(...,
event_name_map=ref('event_name_map'))``) or names it in a ``-- depends_on:``
line.
"""

import re
from typing import Any

from dbt_bouncer.check_framework.decorator import check, fail
from dbt_bouncer.utils import get_clean_model_name

QUOTED = r"\s*['\"]{}['\"]"


def _named(node: str, raw_code: str) -> bool:
    """Whether the file calls ref() of the model or seed, or source() of the source."""
    kind, _, *rest = node.split(".")
    if kind == "source":
        source_name, table = rest[0], rest[1]
        pattern = r"source\(" + QUOTED.format(re.escape(source_name)) + r"\s*,"
        pattern += QUOTED.format(re.escape(table))
    else:
        # a versioned model's node ends in .v<N>; ref() names the model
        pattern = r"ref\(" + QUOTED.format(re.escape(rest[0]))
    return re.search(pattern, raw_code) is not None


@check
def check_model_parents_are_visible(model: Any) -> None:
    """Models must name every model, seed, snapshot and source they read in their file."""
    depends_on = getattr(model, "depends_on", None)
    nodes = getattr(depends_on, "nodes", None) or []
    raw_code = getattr(model, "raw_code", "") or ""
    hidden = sorted(
        node
        for node in nodes
        if node.split(".")[0] in ("model", "seed", "snapshot", "source")
        and not _named(node, raw_code)
    )
    if hidden:
        fail(
            f"`{get_clean_model_name(model.unique_id)}` reads {', '.join(hidden)} through a "
            "macro that calls ref() or source() itself: pass the relation to the macro from "
            "the model (or name it in a `-- depends_on:` line), so the file shows its lineage."
        )
