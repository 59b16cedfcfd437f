"""The canonical_events seed lists exactly the canonical events of the contract.

metric-definitions §2 (docs/metric_definitions.md) names the canonical events
in a table of event_name, meaning and kind; the seed is the one place the
models read which event is of which kind (work and failure make the flags of
every clean event). Both must name the same events with the same kinds.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from .conftest import ROOT

CONTRACT = ROOT / "docs" / "metric_definitions.md"
SEED = ROOT / "seeds" / "canonical_events.csv"

# a row of the §2 table: | `event_name` | meaning | kind |
ROW = re.compile(r"^\|\s*`(?P<name>[a-z_]+)`\s*\|[^|]*\|\s*(?P<kind>[^|]+?)\s*\|\s*$")


def contract_events(text: str) -> dict[str, str]:
    """Event name → kind, from the table of the contract's section 2 (kinds as
    the seed spells them: `end of life` → end_of_life, bold dropped)."""
    section = text.split("\n## 2.", 1)[1].split("\n## ", 1)[0]
    events: dict[str, str] = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            kind = match["kind"].strip("* ").lower().replace(" ", "_")
            events[match["name"]] = kind
    return events


def seed_events(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = [row["event_name"] for row in rows]
    assert len(names) == len(set(names)), f"{path.name} repeats an event name"
    return {row["event_name"]: row["event_kind"] for row in rows}


def test_the_seed_lists_the_contracts_canonical_events_and_kinds() -> None:
    contract = contract_events(CONTRACT.read_text(encoding="utf-8"))
    assert contract, f"no canonical event table found in §2 of {CONTRACT}"
    seed = seed_events(SEED)
    assert sorted(seed) == sorted(contract), "event names differ from metric-definitions §2"
    assert seed == contract, "event kinds differ from metric-definitions §2"
