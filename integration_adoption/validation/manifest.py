"""The grains, not-null columns and accepted values the models' YAML declares,
read from dbt's manifest (target/manifest.json) so the checkpoint checks what
the project says, never a copy of it.

Per model (its latest version: the relation consumers read, without the `_v<N>`
suffix): every uniqueness test on all its rows (`unique`, or
`unique_combination_of_columns`), the columns with `not_null`, and the
`accepted_values` of each column. Tests restricted by a `where` filter say
nothing about every row and are left out; so are accepted values written as
Jinja (the manifest holds them unrendered).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

UNIQUE_COMBINATION = "unique_combination_of_columns"


class ManifestMissingError(FileNotFoundError):
    """No manifest where the checkpoint looks for one."""


@dataclass(frozen=True)
class DeclaredTests:
    """What the YAML declares, by model name."""

    # every unique key, the grain first (a unique + not_null column, else the
    # first combination)
    keys: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    not_null: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # model → column → accepted values
    accepted_values: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def grain(self, model: str) -> tuple[str, ...] | None:
        keys = self.keys.get(model)
        return keys[0] if keys else None

    def accepted_values_of_column(self, column: str) -> tuple[str, ...] | None:
        """The values a column of this name accepts wherever the YAML declares
        them (the union over models, in first-declared order)."""
        found: list[str] = []
        for columns in self.accepted_values.values():
            for value in columns.get(column, ()):
                if value not in found:
                    found.append(value)
        return tuple(found) or None


def load_manifest(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ManifestMissingError(
            f"no dbt manifest at {path}: `dbt parse` (or any dbt build) writes it"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _latest_models(nodes: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """unique_id → name of each model that is its name's latest version."""
    found = {}
    for node in nodes:
        if node["resource_type"] != "model":
            continue
        version, latest = node.get("version"), node.get("latest_version")
        if version is None or latest is None or str(version) == str(latest):
            found[node["unique_id"]] = node["name"]
    return found


def declared_tests(manifest: Mapping[str, Any]) -> DeclaredTests:
    nodes = list(manifest["nodes"].values())
    models = _latest_models(nodes)
    unique_columns: dict[str, list[str]] = {}
    combinations: dict[str, list[tuple[str, ...]]] = {}
    not_null: dict[str, list[str]] = {}
    accepted: dict[str, dict[str, tuple[str, ...]]] = {}
    for node in sorted(nodes, key=lambda node: node["unique_id"]):
        metadata = node.get("test_metadata") or {}
        model = models.get(node.get("attached_node") or "")
        if node["resource_type"] != "test" or not metadata or model is None:
            continue
        if (node.get("config") or {}).get("where"):
            continue
        name, arguments = metadata["name"], metadata.get("kwargs") or {}
        column = node.get("column_name") or arguments.get("column_name")
        if name == "unique" and column:
            unique_columns.setdefault(model, []).append(column)
        elif name == UNIQUE_COMBINATION:
            combination = arguments.get("combination_of_columns")
            if isinstance(combination, list):
                combinations.setdefault(model, []).append(tuple(combination))
        elif name == "not_null" and column:
            not_null.setdefault(model, []).append(column)
        elif name == "accepted_values" and column:
            values = arguments.get("values")
            if isinstance(values, list):
                accepted.setdefault(model, {})[column] = tuple(values)
    keys: dict[str, tuple[tuple[str, ...], ...]] = {}
    for model in sorted(set(unique_columns) | set(combinations)):
        primary = [(c,) for c in unique_columns.get(model, []) if c in not_null.get(model, [])]
        others = [(c,) for c in unique_columns.get(model, []) if (c,) not in primary]
        keys[model] = (*primary, *combinations.get(model, []), *others)
    return DeclaredTests(
        keys=keys,
        not_null={model: tuple(dict.fromkeys(columns)) for model, columns in not_null.items()},
        accepted_values=accepted,
    )


def load_declared_tests(path: Path) -> DeclaredTests:
    """The tests the manifest at `path` declares."""
    return declared_tests(load_manifest(path))
