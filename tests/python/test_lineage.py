"""A funnel or retention number is read in at most 8 SQL model files from
int_connection_events_unioned on (issue #18): the models that are both
descendants of that model and ancestors of the mart, both ends included. The
macros those models call are listed beside them in a failure, not counted."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

PROJECT = "integration_adoption"
START = "int_connection_events_unioned"
MOST_FILES = 8
NUMBER_MARTS = ("fct_integration_funnel", "fct_connection_funnel", "fct_retention_cohorts")


def model_id(name: str) -> str:
    return f"model.{PROJECT}.{name}"


def lineage(manifest: dict[str, Any], mart: str, start: str = START) -> list[str]:
    """The model files a reader opens for a number of `mart`, from `start` on."""
    nodes = manifest["nodes"]
    # a versioned mart's id ends in its version: take the latest
    mart_ids = [n for n, node in nodes.items() if n.startswith("model.") and node["name"] == mart]
    mart_id = max(mart_ids, key=lambda n: nodes[n].get("version") or 0)

    def parents(node: str) -> list[str]:
        return [p for p in nodes[node]["depends_on"]["nodes"] if p.startswith("model.")]

    ancestors: set[str] = set()
    todo = [mart_id]
    while todo:
        node = todo.pop()
        if node not in ancestors:
            ancestors.add(node)
            todo.extend(parents(node))

    reaches: dict[str, bool] = {}

    def reaches_start(node: str) -> bool:
        if node not in reaches:
            reaches[node] = False
            reaches[node] = node == model_id(start) or any(map(reaches_start, parents(node)))
        return reaches[node]

    return sorted(nodes[n]["original_file_path"] for n in ancestors if reaches_start(n))


def project_macros(manifest: dict[str, Any], files: list[str]) -> list[str]:
    """The project's macros the given model files call (for the failure message)."""
    called = {
        m
        for node in manifest["nodes"].values()
        if node.get("original_file_path") in files
        for m in node["depends_on"]["macros"]
        if m.startswith(f"macro.{PROJECT}.")
    }
    return sorted(manifest["macros"][m]["original_file_path"] for m in called)


@pytest.mark.parametrize("mart", NUMBER_MARTS)
def test_a_funnel_or_retention_number_reads_in_at_most_eight_models(
    manifest: dict[str, Any], mart: str
) -> None:
    files = lineage(manifest, mart)
    assert any(f.endswith(f"/{START}.sql") for f in files)
    assert len(files) <= MOST_FILES, "\n".join(
        [*files, "macros called:", *project_macros(manifest, files)]
    )


def test_a_ninth_model_in_the_lineage_fails() -> None:
    """A hand-built manifest: nine models from the start to the mart, each also fed by
    a staging model outside the lineage (which does not count); then a shortcut."""

    def model(name: str, parents: list[str]) -> dict[str, Any]:
        return {
            "name": name,
            "original_file_path": f"models/{name}.sql",
            "depends_on": {"nodes": [model_id(p) for p in parents], "macros": []},
        }

    chain = [START, *(f"int_step_{k}" for k in range(1, 8)), "fct_number"]
    nodes = {model_id("stg_upstream"): model("stg_upstream", [])}
    nodes[model_id(START)] = model(START, ["stg_upstream"])
    for before, name in pairwise(chain):
        nodes[model_id(name)] = model(name, [before, "stg_upstream"])
    manifest = {"nodes": nodes, "macros": {}}
    assert len(lineage(manifest, "fct_number")) == 9
    # the mart reads int_step_6 directly: int_step_7 leaves its lineage
    nodes[model_id("fct_number")] = model("fct_number", ["int_step_6", "stg_upstream"])
    assert len(lineage(manifest, "fct_number")) == 8
