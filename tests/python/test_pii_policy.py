"""The PII policy (integration_adoption/governance/pii_policy.py) on the project's
own manifest, on manifests with a planted leak, and on the warehouse `make test`
built: no raw personal value (user id, account name, error text) is in any
model, and pseudonymising kept every count."""

from __future__ import annotations

import copy
from typing import Any

import duckdb

from integration_adoption.governance.pii_policy import CLASSES, check_manifest

from .conftest import TEST_RAW, scalar

PROJECT = "integration_adoption"


def model(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    nodes = manifest["nodes"]
    return nodes.get(f"model.{PROJECT}.{name}") or nodes[f"model.{PROJECT}.{name}.v1"]


def untag(column: dict[str, Any]) -> None:
    """Removes the classification (dbt keeps meta in both places)."""
    column["meta"].pop("pii")
    column.get("config", {}).get("meta", {}).pop("pii", None)


def test_the_project_complies(manifest: dict[str, Any]) -> None:
    assert check_manifest(manifest) == []


def test_every_public_mart_column_is_classified(manifest: dict[str, Any]) -> None:
    public = [n for n in manifest["nodes"].values() if n.get("access") == "public"]
    # the marts, the calendar (time spine) among them
    assert {n["name"] for n in public} >= {"dim_dates", "dim_accounts", "fct_integration_alerts"}
    for node in public:
        for column in node["columns"].values():
            assert column["meta"]["pii"] in CLASSES, (node["name"], column["name"])


def test_raw_personal_columns_are_tagged_at_the_source(manifest: dict[str, Any]) -> None:
    tagged = {
        (source["name"], name): column["meta"]["pii"]
        for source in manifest["sources"].values()
        for name, column in source["columns"].items()
        if CLASSES[column["meta"]["pii"]].raw
    }
    assert tagged == {
        ("integration_events", "user_id"): "user_id",
        ("integration_events", "properties"): "free_text",
        ("accounts", "account_name"): "name",
        ("partner_webhook_deliveries", "actor"): "user_id",
        ("partner_webhook_deliveries", "payload"): "free_text",
    }


def test_planted_leaks_are_caught(manifest: dict[str, Any]) -> None:
    planted = copy.deepcopy(manifest)
    # a public mart grows the raw user id (tagged as such, or not tagged at all)
    alerts = model(planted, "fct_integration_alerts")
    alerts["columns"]["user_id"] = {"name": "user_id", "meta": {"pii": "user_id"}}
    funnel = model(planted, "fct_connection_funnel")
    funnel["columns"]["user_id"] = {"name": "user_id", "meta": {}}
    # staging stops hashing: its user_id is classified raw
    model(planted, "stg_product__integration_events")["columns"]["user_id"]["meta"]["pii"] = (
        "user_id"
    )
    # a public mart column loses its classification
    untag(model(planted, "dim_accounts")["columns"]["segment"])
    # a source column loses its classification
    accounts = planted["sources"][f"source.{PROJECT}.product.accounts"]
    untag(accounts["columns"]["country"])

    problems = check_manifest(planted)

    def about(fragment: str) -> list[str]:
        return [p for p in problems if fragment in p]

    assert about("public fct_integration_alerts.v1.user_id is user_id: not allowed")
    assert about("fct_integration_alerts.v1.user_id is user_id: staging must")
    assert about("public fct_connection_funnel.v1.user_id has no PII classification")
    assert about("public fct_connection_funnel.v1.user_id reads user_id")
    assert about("public fct_integration_alerts.v1.user_id reads user_id")
    assert about("stg_product__integration_events.user_id is user_id: staging must")
    assert about("public dim_accounts.v1.segment has no PII classification")
    assert about("source product.accounts.country has no PII classification")
    # and nothing else
    assert len(problems) == 9, problems


# ---------- the data: the warehouse `make test` built from the messy test data


def _raw(table: str) -> str:
    return f"read_parquet('{TEST_RAW / table}/*.parquet', union_by_name = true)"


def _personal_values(con: duckdb.DuckDBPyConnection) -> None:
    """Registers `personal`: every raw user id, account name and error text."""
    values = con.execute(
        f"""
        select distinct v from (
            select trim(user_id) as v from {_raw("integration_events")}
            union all select trim(actor) from {_raw("partner_webhook_deliveries")}
            union all select account_name from {_raw("accounts")}
            union all select properties->>'error_message' from {_raw("integration_events")}
                where json_valid(properties)
            union all select payload->>'error_detail' from {_raw("partner_webhook_deliveries")}
                where json_valid(payload)
        ) where length(v) > 3
        """
    ).df()
    con.register("personal", values)


def test_no_raw_personal_value_reaches_any_model(con: duckdb.DuckDBPyConnection) -> None:
    _personal_values(con)
    # user ids, names and messages were there to leak
    assert scalar(con, "select count(*) from personal") > 100
    columns = con.execute(
        """
        select table_schema, table_name, column_name from information_schema.columns
        where table_schema in ('staging', 'intermediate', 'marts') and data_type = 'VARCHAR'
        """
    ).fetchall()
    assert len(columns) > 50
    leaks = []
    for schema, table, column in columns:
        found = scalar(
            con,
            f'select count(*) from {schema}."{table}" where "{column}" in (select v from personal)',
        )
        if found:
            leaks.append(f"{schema}.{table}.{column}: {found} raw personal values")
    # the redacted JSON still has its keys, never the text
    embedded = con.execute(
        """
        select count(*) from staging.base_product__integration_events_triaged
        where properties like '%"error_message"%' and properties not like '%"[redacted]"%'
        """
    ).fetchone()
    assert embedded == (0,)
    assert leaks == []


def test_pseudonymising_keeps_every_count(con: duckdb.DuckDBPyConnection) -> None:
    """A keyed hash is 1:1: as many distinct users as in the raw rows, and a
    user on every row that had one."""
    raw = con.execute(
        f"""
        select count(distinct trim(user_id)),
            count(*) filter (where nullif(trim(user_id), '') is not null)
        from {_raw("integration_events")}
        """
    ).fetchone()
    staged = con.execute(
        """
        select count(distinct user_id),
            sum(1 + collapsed_duplicate_count) filter (where user_id is not null)
        from staging.base_product__integration_events_triaged
        """
    ).fetchone()
    assert raw is not None and raw[0] > 100
    assert staged == raw
    # 64 hex characters, never the raw value
    assert (
        scalar(
            con,
            """
            select count(*) from staging.stg_product__integration_events
            where user_id is not null and not regexp_full_match(user_id, '[0-9a-f]{64}')
            """,
        )
        == 0
    )
