"""A funnel or retention number is read in at most 8 SQL files from
int_connection_events_unioned on (issue #18): the models that are both
descendants of that model and ancestors of the mart, both ends included, and
the project's macros those models call — the lineage graph does not show a
macro, so a reader has to find and open it. Not counted: the portable engine
shims of macros/cross_db/ (one SQL function or config each, dispatched per
adapter, read like a built-in function such as add_days or safe_divide)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

PROJECT = "integration_adoption"
START = "int_connection_events_unioned"
MOST_FILES = 8
# macros a reader reads like built-in functions
SHIM_FOLDER = "macros/cross_db/"
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
    """The project's macro files the given model files call, engine shims aside."""
    called = {
        m
        for node in manifest["nodes"].values()
        if node.get("original_file_path") in files
        for m in node["depends_on"]["macros"]
        if m.startswith(f"macro.{PROJECT}.")
    }
    paths = {manifest["macros"][m]["original_file_path"] for m in called}
    return sorted(p for p in paths if not p.startswith(SHIM_FOLDER))


def files_read(manifest: dict[str, Any], mart: str) -> list[str]:
    """The model files of `lineage` and the macro files they call (shims aside)."""
    models = lineage(manifest, mart)
    return [*models, *project_macros(manifest, models)]


@pytest.mark.parametrize("mart", NUMBER_MARTS)
def test_a_funnel_or_retention_number_reads_in_at_most_eight_files(
    manifest: dict[str, Any], mart: str
) -> None:
    files = files_read(manifest, mart)
    assert any(f.endswith(f"/{START}.sql") for f in files)
    assert len(files) <= MOST_FILES, "\n".join(files)


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


def test_a_macro_the_lineage_calls_counts_and_an_engine_shim_does_not() -> None:
    """Seven models from the start to the mart; one calls a macro of the
    project, one an engine shim, and the staging model upstream another macro
    (outside the lineage): 8 files. A second macro called in the lineage: 9."""

    def macro(name: str, folder: str) -> tuple[str, dict[str, Any]]:
        return f"macro.{PROJECT}.{name}", {"original_file_path": f"macros/{folder}/{name}.sql"}

    def model(name: str, parents: list[str], macros: list[str]) -> dict[str, Any]:
        return {
            "name": name,
            "original_file_path": f"models/{name}.sql",
            "depends_on": {
                "nodes": [model_id(p) for p in parents],
                "macros": [f"macro.{PROJECT}.{m}" for m in macros],
            },
        }

    macros = dict(
        [
            macro("state_rules", "spells"),
            macro("island_edges", "spells"),
            macro("add_days", "cross_db"),
            macro("union_sources", "staging"),
        ]
    )
    chain = [START, *(f"int_step_{k}" for k in range(1, 6)), "fct_number"]
    uses = {"int_step_2": ["state_rules"], "int_step_3": ["add_days"]}
    nodes = {model_id("stg_upstream"): model("stg_upstream", [], ["union_sources"])}
    nodes[model_id(START)] = model(START, ["stg_upstream"], [])
    for before, name in pairwise(chain):
        nodes[model_id(name)] = model(name, [before], uses.get(name, []))
    manifest = {"nodes": nodes, "macros": macros}
    files = files_read(manifest, "fct_number")
    assert len(files) == 8
    assert "macros/spells/state_rules.sql" in files
    nodes[model_id("int_step_4")]["depends_on"]["macros"].append(f"macro.{PROJECT}.island_edges")
    assert len(files_read(manifest, "fct_number")) == 9
