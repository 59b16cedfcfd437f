"""No credential in the repository or in what dbt writes.

`profiles.yml` reads every credential of every non-DuckDB output through
`env_var()`, passwords and tokens through dbt's `DBT_ENV_SECRET_` prefix
(which dbt scrubs from its logs and artifacts); the embedded DuckDB output has
no credential at all. `scan` finds given secret values in files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ENV_VAR = re.compile(r"""env_var\(\s*['"]([A-Za-z0-9_]+)['"]""")
# profile keys that hold a credential or say where to log in
CREDENTIAL_KEYS = frozenset(
    {
        "host",
        "port",
        "user",
        "username",
        "dbname",
        "database",
        "password",
        "pass",
        "token",
        "private_key",
        "private_key_passphrase",
        "keyfile",
        "keyfile_json",
        "client_secret",
        "client_id",
        "account",
        "role",
        "schema",
        "catalog",
        "http_path",
        "cluster",
    }
)
SECRET_KEYS = frozenset(
    {
        "password",
        "pass",
        "token",
        "private_key",
        "private_key_passphrase",
        "keyfile_json",
        "client_secret",
    }
)
SECRET_PREFIX = "DBT_ENV_SECRET_"


def env_var_names(text: str) -> set[str]:
    """Every environment variable a profiles.yml reads."""
    return set(ENV_VAR.findall(text))


def profile_problems(profiles: Mapping[str, Any]) -> list[str]:
    """Credentials written into profiles.yml (parsed, not rendered) instead of read from env_var."""
    problems = []
    for profile_name, profile in profiles.items():
        if not isinstance(profile, Mapping):
            continue
        for output_name, output in (profile.get("outputs") or {}).items():
            where = f"{profile_name}.outputs.{output_name}"
            for key, value in output.items():
                if key not in CREDENTIAL_KEYS:
                    continue
                text = str(value)
                names = env_var_names(text)
                if output.get("type") == "duckdb" and key in SECRET_KEYS:
                    problems.append(f"{where}.{key}: the embedded DuckDB needs no credential")
                elif output.get("type") != "duckdb" and not names:
                    problems.append(
                        f"{where}.{key} is written in the file, not read with env_var()"
                    )
                elif key in SECRET_KEYS and not all(n.startswith(SECRET_PREFIX) for n in names):
                    problems.append(f"{where}.{key} must come from a {SECRET_PREFIX}* variable")
                elif key in SECRET_KEYS and re.search(r"env_var\([^)]*,", text):
                    problems.append(f"{where}.{key} has a default value in the file")
    return problems


def scan(paths: Iterable[Path], values: Iterable[str]) -> list[str]:
    """`path: value` for every file under `paths` that contains one of `values`."""
    needles = [value.encode() for value in values if value]
    hits = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            content = path.read_bytes()
            hits += [f"{path}: {needle.decode()}" for needle in needles if needle in content]
    return hits
