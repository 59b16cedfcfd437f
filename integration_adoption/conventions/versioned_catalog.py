"""The two catalog column rules of dbt-bouncer.yml, for versioned models.

dbt-bouncer 4.0.0 keeps a catalog node only when the second-to-last part of
its id is the project (`model.<project>.<name>`). A versioned model's id ends
in `.v<N>`, so it never sees the columns of the versioned public marts. This
check applies the same two rules to exactly those models:

- check_columns_are_all_documented: every column in the warehouse is declared;
- check_columns_are_documented_in_public_models: every column of a public
  model has a description.

`make conventions` runs it after dbt-bouncer; it exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

Failure = tuple[str, str, str]


def failures(manifest: dict, catalog: dict) -> Iterator[Failure]:
    """(rule, model name, message) for every versioned model that breaks a rule."""
    project = manifest["metadata"].get("project_name")
    for unique_id, entry in sorted(catalog.get("nodes", {}).items()):
        node = manifest["nodes"].get(unique_id)
        if (
            node is None
            or node["resource_type"] != "model"
            or node.get("version") is None
            or (project is not None and node["package_name"] != project)
        ):
            continue
        declared = {name.lower(): column for name, column in node["columns"].items()}
        in_warehouse = list(entry["columns"])
        undeclared = [name for name in in_warehouse if name.lower() not in declared]
        if undeclared:
            yield (
                "check_columns_are_all_documented",
                node["name"],
                f"{unique_id}: columns in the warehouse but not in its YAML: {undeclared}",
            )
        if node.get("access") == "public":
            undescribed = [
                name
                for name in in_warehouse
                if not (declared.get(name.lower()) or {}).get("description", "").strip()
            ]
            if undescribed:
                yield (
                    "check_columns_are_documented_in_public_models",
                    node["name"],
                    f"{unique_id}: public columns without a description: {undescribed}",
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifacts", type=Path, default=Path("target"))
    args = parser.parse_args(argv)
    manifest = json.loads((args.artifacts / "manifest.json").read_text())
    catalog = json.loads((args.artifacts / "catalog.json").read_text())
    found = list(failures(manifest, catalog))
    for rule, model, message in found:
        print(f"FAIL {rule} {model}: {message}")
    checked = sum(
        1
        for unique_id in catalog.get("nodes", {})
        if manifest["nodes"].get(unique_id, {}).get("version") is not None
    )
    print(f"versioned models checked: {checked}, failures: {len(found)}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
