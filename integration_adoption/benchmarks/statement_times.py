"""Per-statement times of a dbt run, from dbt's debug log (`dbt.log` under
`--log-path`): which statement of a node takes its time. A model's node time
in run_results.json holds its hooks, its select and dbt's delete and insert;
the log has each statement with its own time.

With several threads, the lines of two statements interleave: a statement's
SQL is the text after its thread's `On <node>: ` line, up to the next line
with a timestamp, and its time the next `SQL status` line of that thread.

    python -m integration_adoption.benchmarks.statement_times logs/dbt.log \
        --node fct_account_health_daily --min-seconds 0.2
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# "\x1b[0m01:07:31.544744 [debug] [Thread-1 (]: message" (the colour code is optional)
HEADER = re.compile(r"^(?:\x1b\[0m)?\d\d:\d\d:\d\d\.\d+ \[\s*\w+\s*\] \[([^\]]+)\]: (.*)$")
STATEMENT = re.compile(r"^On ((?:model|test|unit_test|seed|snapshot|operation)\.\S+): (.*)$")
STATUS = re.compile(r"^SQL status: (\S+) in ([\d.]+) seconds")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class Statement:
    node: str
    sql: str
    seconds: float

    @property
    def head(self) -> str:
        """The statement's first words, without dbt's query comment."""
        return " ".join(COMMENT.sub(" ", self.sql).split())


def statements(lines: Iterable[str]) -> Iterator[Statement]:
    """Each timed statement of the log, in the order their times were logged."""
    open_sql: dict[str, tuple[str, list[str]]] = {}
    continuing: str | None = None
    for line in lines:
        header = HEADER.match(line.rstrip("\n"))
        if header is None:
            if continuing is not None:
                open_sql[continuing][1].append(line.rstrip("\n"))
            continue
        thread, message = header.groups()
        continuing = None
        started = STATEMENT.match(message)
        if started:
            open_sql[thread] = (started.group(1), [started.group(2)])
            continuing = thread
            continue
        status = STATUS.match(message)
        if status and thread in open_sql:
            node, sql = open_sql.pop(thread)
            yield Statement(node, "\n".join(sql), float(status.group(2)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path, help="dbt's debug log (dbt.log)")
    parser.add_argument("--node", default="", help="only nodes whose unique_id contains this")
    parser.add_argument("--min-seconds", type=float, default=0.1)
    parser.add_argument("--width", type=int, default=110, help="characters of each statement shown")
    args = parser.parse_args(argv)
    with args.log.open(errors="replace") as log:
        for found in statements(log):
            if args.node in found.node and found.seconds >= args.min_seconds:
                print(f"{found.seconds:8.2f}  {found.node}  {found.head[: args.width]}")


if __name__ == "__main__":
    main()
