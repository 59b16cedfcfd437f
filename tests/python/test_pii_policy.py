"""The PII policy (integration_adoption/governance/pii_policy.py) on the project's
own manifest, on manifests with a planted leak, and on the warehouse `make test`
built: no raw personal value (user id, account name, error text) is in any
model, and pseudonymising kept every count."""

from __future__ import annotations

import copy
import re
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


# free text in the raw JSON, however it is spelled: the parsed value where the
# text is JSON, else what follows the key in the text (truncated payloads)
_FREE_TEXT = {
    "integration_events": ("properties", "error_message"),
    "partner_webhook_deliveries": ("payload", "error_detail"),
}


def _free_texts(con: duckdb.DuckDBPyConnection) -> list[str]:
    texts: set[str] = set()
    for table, (column, key) in _FREE_TEXT.items():
        rows = con.execute(
            f"""
            select distinct coalesce(
                case when json_valid({column}) then {column}->>'{key}' end,
                regexp_extract({column}, '"{key}"[ ]*:[ ]*"([^"]*)', 1)
            )
            from {_raw(table)}
            where contains({column}, '{key}')
            """
        ).fetchall()
        texts.update(text for (text,) in rows if text)
    return sorted(texts)


def _personal_values(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every raw user id, account name and free text, and every run of three
    words of a free text (a text kept in part is still a leak)."""
    ids_and_names = {
        value
        for (value,) in con.execute(
            f"""
            select distinct trim(user_id) from {_raw("integration_events")}
            union select trim(actor) from {_raw("partner_webhook_deliveries")}
            union select account_name from {_raw("accounts")}
            """
        ).fetchall()
        if value
    }
    texts = _free_texts(con)
    fragments = {
        " ".join(words[i : i + 3])
        for text in texts
        for words in [text.split()]
        for i in range(max(len(words) - 2, 1))
    }
    return sorted(v for v in ids_and_names | set(texts) | fragments if len(v) > 3)


def _text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Every text column of every model (tables and views, the quarantine among them)."""
    return con.execute(
        """
        select table_schema, table_name, column_name from information_schema.columns
        where table_schema in ('staging', 'intermediate', 'marts') and data_type = 'VARCHAR'
        order by all
        """
    ).fetchall()


def _leaks(con: duckdb.DuckDBPyConnection, personal: list[str]) -> list[str]:
    """Text columns with a value that CONTAINS a personal value anywhere (one
    regular expression of them all, so each value is scanned once)."""
    pattern = "|".join(re.escape(value) for value in personal)
    leaks = []
    for schema, table, column in _text_columns(con):
        found = scalar(
            con,
            f'select count(*) from (select distinct "{column}" as v from {schema}."{table}") '
            "where regexp_matches(v, ?)",
            pattern,
        )
        if found:
            leaks.append(f"{schema}.{table}.{column}: {found} values hold raw personal text")
    return leaks


def test_no_raw_personal_text_reaches_any_model(con: duckdb.DuckDBPyConnection) -> None:
    personal = _personal_values(con)
    texts = _free_texts(con)
    # user ids, names and messages were there to leak, the partner's too
    assert len(personal) > 100
    assert "Upstream request timed out" in texts
    assert len(_text_columns(con)) > 50
    assert _leaks(con, personal) == []


def test_the_scan_finds_a_planted_fragment(con: duckdb.DuckDBPyConnection) -> None:
    """The scan can fail: a value that only contains a raw text (part of an
    error message inside JSON, a user id inside a longer string) is found."""
    personal = _personal_values(con)
    user_id = next(value for value in personal if value.startswith("usr_"))
    planted = [
        '{"note":"the upstream: request timed out again"}',
        f"seen by {user_id} today",
        "nothing personal",
    ]
    found = scalar(
        con,
        "select count(*) from unnest(?) as planted (v) where regexp_matches(v, ?)",
        planted,
        "|".join(re.escape(value) for value in personal),
    )
    assert found == 2


def test_free_text_keys_are_gone_from_every_stored_json(con: duckdb.DuckDBPyConnection) -> None:
    """The stored properties are parsed objects without their free-text keys
    (removed on the parsed JSON, whatever the key's escaping), or null; a
    clean row keeps none (nor its raw occurred_at text), only its parsed
    values."""
    for table in (
        "base_product__integration_events_triaged",
        "base_partner_webhooks__integration_events_triaged",
    ):
        kept = con.execute(
            f"""
            select
                count(*) filter (where properties is not null),
                count(*) filter (where properties is not null and not json_valid(properties)),
                count(*) filter (
                    where case
                        when json_valid(properties)
                            then list_has_any(
                                json_keys(properties), ['error_message', 'error_detail']
                            )
                    end
                ),
                count(*) filter (
                    where rejection_reason is null
                    and (properties is not null or occurred_at_text is not null)
                )
            from staging.{table}
            """
        ).fetchone()
        assert kept is not None and kept[0] > 100 and kept[1:] == (0, 0, 0), (table, kept)


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
