"""Apache Spark: a mart reader over the warehouse the `spark` target of dbt built.

A new in-process SparkSession with the target's own settings (profiles.yml,
rendered with the same environment variables), so it opens the same
warehouse folder and Derby metastore. Derby admits one process at a time:
read only after `dbt build` has finished.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
import yaml

NAME = "spark"
ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles.yml"


def _env_var(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"profiles.yml needs the environment variable {name}")
    return value


def _absolute(path: str) -> str:
    return path if path.startswith("/") or "://" in path else str(ROOT / path)


def spark_settings(profiles: Path = PROFILES) -> dict[str, str]:
    """server_side_parameters of the spark output, rendered, with paths made absolute.

    dbt runs from the repository root, so relative paths are resolved there.
    """
    outputs = yaml.safe_load(profiles.read_text())["integration_adoption"]["outputs"]
    if "spark" not in outputs:
        raise RuntimeError(f"{profiles} has no spark output")
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.globals["env_var"] = _env_var
    settings = {
        key: environment.from_string(str(value)).render()
        for key, value in outputs["spark"]["server_side_parameters"].items()
    }
    settings["spark.sql.warehouse.dir"] = _absolute(settings["spark.sql.warehouse.dir"])
    settings["spark.driver.extraJavaOptions"] = re.sub(
        r"(-Dderby\.system\.home=)(\S+)",
        lambda match: match.group(1) + _absolute(match.group(2)),
        settings["spark.driver.extraJavaOptions"],
    )
    return settings


class SparkEngine:
    name = NAME

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        from pyspark.sql import SparkSession

        settings = settings or spark_settings()
        warehouse = Path(settings["spark.sql.warehouse.dir"])
        if not warehouse.is_dir():
            raise FileNotFoundError(
                f"no Spark warehouse at {warehouse}: scripts/spark_build.sh builds it"
            )
        builder = SparkSession.builder.appName("integration_adoption_compare").enableHiveSupport()
        for key, value in settings.items():
            builder = builder.config(key, value)
        # timestamps reach pandas in the session time zone (UTC), without one
        builder = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
        self._session: Any = builder.getOrCreate()
        self._session.sparkContext.setLogLevel("ERROR")

    def read_table(self, schema: str, table: str) -> pd.DataFrame:
        return self._session.table(f"`{schema}`.`{table}`").toPandas()

    def close(self) -> None:
        self._session.stop()


def open_engine() -> SparkEngine:
    return SparkEngine()
