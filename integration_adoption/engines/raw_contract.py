"""The raw tables' columns and types, as the sources' YAML declares them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCE_FILES = sorted((ROOT / "models" / "staging").glob("*/_*__sources.yml"))


@dataclass(frozen=True)
class RawTable:
    source: str
    name: str
    columns: tuple[tuple[str, str], ...]  # (column, contract data_type)


def raw_tables(source_files: list[Path] | None = None) -> list[RawTable]:
    """Every source table with its declared columns; an undeclared type is an error."""
    tables: list[RawTable] = []
    for path in source_files or SOURCE_FILES:
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                columns = []
                for column in table.get("columns", []):
                    if "data_type" not in column:
                        raise ValueError(
                            f"{path}: {source['name']}.{table['name']}.{column['name']} "
                            "has no data_type"
                        )
                    columns.append((column["name"], str(column["data_type"])))
                if not columns:
                    raise ValueError(f"{path}: {source['name']}.{table['name']} has no columns")
                tables.append(RawTable(source["name"], table["name"], tuple(columns)))
    return tables
