"""Breaking changes to contracted models, against an earlier commit.

`python -m integration_adoption.governance.contracts [--base REV]` parses the
project as it was at REV (default: env IA_CONTRACT_BASE, else HEAD~1; taken
from git history with `git archive`) into a temporary target, then runs
`dbt ls -s state:modified.contract --state <that target>` on the working tree.
dbt itself compares the contracts: a removed column, a changed data_type or a
dropped contract of a versioned model raises ContractBreakingChangeError; the
same change to an unversioned contracted model (the calendar) is only a
warning in dbt, and an error here. One warning is not: an unversioned model
that became version 1 of itself with the same columns and types ("deleted or
renamed" to dbt, while its table keeps its name). The fix for a breaking
change is to publish a new version beside the old one (docs/governance.md,
"Versions and breaking changes").
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from integration_adoption.dbt_cli import DBT, ROOT


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True)


def _env(repo: Path, work: Path) -> dict[str, str]:
    # the same DuckDB file name on both sides: it names the relations' database
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(repo),
        "IA_DUCKDB_PATH": str(work / "integration_adoption.duckdb"),
    }


def parse_base(repo: Path, base: str, work: Path) -> Path:
    """The manifest of `repo` at commit `base`: its target folder."""
    archive = _git(repo, "archive", "--format=tar", base)
    if archive.returncode != 0:
        raise RuntimeError(f"git archive {base} failed: {archive.stderr.decode().strip()}")
    checkout = work / "base"
    checkout.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(checkout, filter="data")
    target = work / "base_target"
    subprocess.run(
        [
            str(DBT),
            "parse",
            "--quiet",
            "--no-partial-parse",
            *("--target-path", str(target), "--log-path", str(work / "base_logs")),
        ],
        cwd=checkout,
        env=_env(checkout, work),
        check=True,
    )
    return target


@dataclass
class Outcome:
    returncode: int
    problems: list[str]
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.problems


def _contract(node: dict[str, Any]) -> dict[str, str | None]:
    return {name: column.get("data_type") for name, column in node["columns"].items()}


def _versioned_unchanged(name: str, base: dict[str, Any], head: dict[str, Any]) -> bool:
    """True when unversioned `name` became a version of itself with the same contract."""
    old = base["nodes"].get(f"model.{base['metadata'].get('project_name')}.{name}")
    latest = [
        node
        for node in head["nodes"].values()
        if node["resource_type"] == "model"
        and node["name"] == name
        and node.get("version") is not None
        and str(node["version"]) == str(node.get("latest_version"))
    ]
    return (
        old is not None
        and len(latest) == 1
        and latest[0]["alias"] == old["alias"]
        and latest[0]["contract"]["enforced"]
        and _contract(latest[0]) == _contract(old)
    )


def check(repo: Path, state: Path, work: Path) -> Outcome:
    """`dbt ls` of the contracted models changed since `state`, and what broke."""
    head_target = work / "head_target"
    result = subprocess.run(
        [
            str(DBT),
            *("--log-format", "json", "ls", "--no-partial-parse", "--resource-type", "model"),
            *("--select", "state:modified.contract", "--state", str(state)),
            *("--target-path", str(head_target), "--log-path", str(work / "head_logs")),
        ],
        cwd=repo,
        env=_env(repo, work),
        capture_output=True,
        text=True,
    )
    problems, lines = [], []
    base = json.loads((state / "manifest.json").read_text())
    head_manifest = head_target / "manifest.json"
    head = json.loads(head_manifest.read_text()) if head_manifest.exists() else {"nodes": {}}
    for line in (result.stdout + result.stderr).splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            lines.append(line)
            continue
        info, data = event.get("info", {}), event.get("data", {})
        lines.append(info.get("msg", line))
        if info.get("name") != "UnversionedBreakingChange":
            continue
        changes = data.get("breaking_changes", [])
        renamed = all("was deleted or renamed" in change for change in changes)
        if renamed and _versioned_unchanged(data["model_name"], base, head):
            continue
        problems.append(f"{data['model_name']}: " + "; ".join(changes))
    return Outcome(result.returncode, problems, "\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m integration_adoption.governance.contracts",
        description="Fail on a breaking change to a contracted model since an earlier commit.",
    )
    parser.add_argument(
        "--base",
        default=os.environ.get("IA_CONTRACT_BASE", "HEAD~1"),
        help="the commit to compare with (env IA_CONTRACT_BASE; default HEAD~1)",
    )
    parser.add_argument("--repo", type=Path, default=ROOT, help="the project's git work tree")
    args = parser.parse_args(argv)
    if _git(args.repo, "rev-parse", "--verify", "--quiet", f"{args.base}^{{commit}}").returncode:
        shallow = _git(args.repo, "rev-parse", "--is-shallow-repository").stdout.strip()
        if shallow == b"true":
            print(
                f"contracts: {args.base} is not in this shallow clone, nothing to compare with "
                "(fetch more history or set IA_CONTRACT_BASE)",
                file=sys.stderr,
            )
            return 0
        print(f"contracts: no commit {args.base} (set IA_CONTRACT_BASE)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ia_contracts_") as tmp:
        work = Path(tmp)
        state = parse_base(args.repo, args.base, work)
        outcome = check(args.repo, state, work)
    print(outcome.output)
    for problem in outcome.problems:
        print(f"breaking change to unversioned contracted model {problem}", file=sys.stderr)
    verdict = "no breaking change" if outcome.ok else "BREAKING CHANGE"
    print(f"contracts: {verdict} to a contracted model since {args.base}")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
