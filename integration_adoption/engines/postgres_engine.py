"""PostgreSQL: the connection the `postgres` target of profiles.yml uses, and a mart reader."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import psycopg2
import psycopg2.extensions
from psycopg2 import sql

NAME = "postgres"


def connection_parameters(user: str | None = None, password: str | None = None) -> dict[str, Any]:
    """The same environment variables as profiles.yml (scripts/engines/postgres.sh sets them)."""
    missing = [
        name for name in ("IA_PG_USER", "DBT_ENV_SECRET_PG_PASSWORD") if not os.environ.get(name)
    ]
    if missing and (user is None or password is None):
        raise RuntimeError(
            f"{', '.join(missing)} not set: run under scripts/engines/postgres.sh "
            "or export the postgres target's variables"
        )
    return {
        "host": os.environ.get("IA_PG_HOST", "127.0.0.1"),
        "port": int(os.environ.get("IA_PG_PORT", "5432")),
        "dbname": os.environ.get("IA_PG_DBNAME", "integration_adoption"),
        "user": user or os.environ["IA_PG_USER"],
        "password": password or os.environ["DBT_ENV_SECRET_PG_PASSWORD"],
    }


def connect(user: str | None = None, password: str | None = None) -> Any:
    """A psycopg2 connection in UTC, as the admin user of the target or as `user`."""
    connection = psycopg2.connect(
        **connection_parameters(user, password), options="-c timezone=UTC"
    )
    return connection


class PostgresEngine:
    name = NAME

    def __init__(self) -> None:
        self._connection = connect()
        self._connection.set_session(readonly=True, autocommit=True)

    def read_table(self, schema: str, table: str) -> pd.DataFrame:
        with self._connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("select * from {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
            )
            columns = [description.name for description in cursor.description]
            return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)

    def close(self) -> None:
        self._connection.close()


def open_engine() -> PostgresEngine:
    return PostgresEngine()
