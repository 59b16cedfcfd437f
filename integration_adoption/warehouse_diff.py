"""Row-for-row comparison of two DuckDB warehouses built from the same data."""

from __future__ import annotations

from pathlib import Path

import duckdb

# the models whose stored rows must not depend on how the warehouse was built
STORED_INTERMEDIATES = (
    "int_connection_activity_daily",
    "int_connection_state_spells",
    "int_account_activity_daily",
    "int_account_health_inputs",
    "base_product__integration_events_triaged",
    "stg_partner_webhooks__integration_events",
)


def differences(
    left: Path, right: Path, intermediates: tuple[str, ...] = STORED_INTERMEDIATES
) -> dict[str, int]:
    """Rows of each mart (and each named intermediate table) missing from the other side.

    Doubles are compared rounded to 1e-9: parallel sums may differ in the last bits.
    A table present on the left and absent on the right counts all its rows.
    """
    found: dict[str, int] = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        tables = con.execute(
            """
            select schema_name, table_name from duckdb_tables()
            where database_name = 'l'
                and (schema_name = 'marts' or list_contains(?, table_name))
            order by 1, 2
            """,
            [list(intermediates)],
        ).fetchall()
        if not tables:
            raise ValueError(f"no marts in {left}")
        right_tables = set(
            con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'r'"
            ).fetchall()
        )
        for schema, table in tables:
            if (schema, table) not in right_tables:
                found[f"{schema}.{table}"] = con.execute(
                    f"select count(*) from l.{schema}.{table}"
                ).fetchone()[0]
                continue
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() "
                "where database_name = 'l' and schema_name = ? and table_name = ? "
                "order by column_index",
                [schema, table],
            ).fetchall()
            select = ", ".join(
                f"round({name}, 9)" if kind == "DOUBLE" else name for name, kind in columns
            )
            count = con.execute(
                f"""
                select count(*) from (
                    (select {select} from l.{schema}.{table}
                     except all select {select} from r.{schema}.{table})
                    union all
                    (select {select} from r.{schema}.{table}
                     except all select {select} from l.{schema}.{table})
                )
                """
            ).fetchone()[0]
            if count:
                found[f"{schema}.{table}"] = count
    return found
