"""The PII policy as data, and the manifest walk that enforces it.

Every source column, and every column of a public model, carries
`meta: {pii: <class>}`; other model columns carry it where they can hold
personal data. The classes and what may reach a public mart are below.
`check_manifest` returns one message per violation (empty: the project
complies).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PiiClass:
    description: str
    # raw personal data: staging must hash or drop it, no model may carry it
    raw: bool
    # may be a column of a public model
    public: bool


CLASSES: dict[str, PiiClass] = {
    "none": PiiClass(
        "Not personal data (ids of accounts and connections, codes, counts).", False, True
    ),
    "commercial": PiiClass(
        "A customer's commercial terms (plan, MRR, size): for BI, not personal.", False, True
    ),
    "user_id": PiiClass("The identifier of a person.", True, False),
    "name": PiiClass("A customer's or person's name.", True, False),
    "free_text": PiiClass(
        "Text written by a system or a person that may echo customer content.", True, False
    ),
    "pseudonymised": PiiClass(
        "A keyed hash of a user_id (macro pseudonymise): still personal data under GDPR.",
        False,
        True,
    ),
    "redacted": PiiClass("Text whose free-text parts are replaced by [redacted].", False, True),
}

# the form a raw class takes once staging has dealt with it (dropping is always allowed)
SAFE_FORMS: dict[str, frozenset[str]] = {
    "user_id": frozenset({"pseudonymised"}),
    "name": frozenset(),
    "free_text": frozenset({"redacted", "none"}),
}


def column_class(column: Mapping[str, Any]) -> str | None:
    """The column's `meta.pii` (or `config.meta.pii`), None when untagged."""
    meta = column.get("meta") or (column.get("config") or {}).get("meta") or {}
    value = meta.get("pii")
    return None if value is None else str(value)


def _label(node: Mapping[str, Any]) -> str:
    version = node.get("version")
    return node["name"] + (f".v{version}" if version is not None else "")


def _downstream(manifest: Mapping[str, Any], unique_id: str) -> Iterable[str]:
    children = manifest.get("child_map", {})
    seen: set[str] = set()
    stack = list(children.get(unique_id, []))
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        stack.extend(children.get(node, []))


def check_manifest(manifest: Mapping[str, Any]) -> list[str]:
    """Every violation of the policy in a dbt manifest (manifest.json as a dict)."""
    problems: list[str] = []
    nodes = manifest["nodes"]
    models = {uid: node for uid, node in nodes.items() if node["resource_type"] == "model"}

    # sources: every column classified
    raw_columns: list[tuple[str, str, str]] = []  # (source unique_id, column, class)
    for uid, source in manifest["sources"].items():
        label = f"source {source['source_name']}.{source['name']}"
        for name, column in source["columns"].items():
            cls = column_class(column)
            if cls is None:
                problems.append(f"{label}.{name} has no PII classification (meta.pii)")
            elif cls not in CLASSES:
                problems.append(f"{label}.{name}: unknown PII class {cls!r}")
            elif CLASSES[cls].raw:
                raw_columns.append((uid, name, cls))

    # models: known classes only, and raw personal data nowhere
    for node in models.values():
        for name, column in node["columns"].items():
            cls = column_class(column)
            if cls is None:
                continue
            if cls not in CLASSES:
                problems.append(f"{_label(node)}.{name}: unknown PII class {cls!r}")
            elif CLASSES[cls].raw:
                problems.append(
                    f"{_label(node)}.{name} is {cls}: staging must pseudonymise, redact or drop it"
                )

    # public models: every column classified, and in a class a public mart may hold
    for node in models.values():
        if node.get("access") != "public":
            continue
        for name, column in node["columns"].items():
            cls = column_class(column)
            if cls is None:
                problems.append(
                    f"public {_label(node)}.{name} has no PII classification (meta.pii)"
                )
            elif cls in CLASSES and not CLASSES[cls].public:
                problems.append(
                    f"public {_label(node)}.{name} is {cls}: not allowed in a public model"
                )

    # lineage: a raw column's name downstream of its source only in a safe form
    for source_id, name, cls in raw_columns:
        for uid in _downstream(manifest, source_id):
            node = models.get(uid)
            if node is None or name not in node["columns"]:
                continue
            found = column_class(node["columns"][name])
            if found not in SAFE_FORMS[cls]:
                where = "public " if node.get("access") == "public" else ""
                problems.append(
                    f"{where}{_label(node)}.{name} reads {cls} from {source_id} "
                    f"and is classified {found or 'nothing'}: it must be "
                    f"{' or '.join(sorted(SAFE_FORMS[cls])) or 'dropped'}"
                )
    return problems
