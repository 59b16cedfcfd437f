"""--messy: inject known numbers of bad rows (one defect each) and awkward-but-valid rows.

Each injected defect row is a copy of a real event with a NEW event_id and exactly one
defect, so its expected rejection reason is unambiguous under the precedence of
metric-definitions §2. Duplicates keep the original's event_id and load later, so the
original is the copy that survives. Sources of all injected rows are disjoint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from integration_adoption.generator.catalog import SOURCE_SYSTEMS, Catalog
from integration_adoption.generator.config import MessyParams
from integration_adoption.generator.ids import MESSY_BIT, block_key, hex_ids, salt
from integration_adoption.generator.text import occurred_text

DEFECTS = (
    "exact_duplicate",
    "conflicting_duplicate",
    "negative_count",
    "unknown_event_name",
    "null_key",
    "unparseable_timestamp",
    "future_timestamp",
    "invalid_json",
    "unknown_integration",
    "late",
)
REJECTION_REASON = {
    "null_key": "null_key",
    "unparseable_timestamp": "unparseable_timestamp",
    "future_timestamp": "future_timestamp",
    "unknown_event_name": "unknown_event_name",
    "negative_count": "invalid_properties",
    "invalid_json": "invalid_properties",
    "unknown_integration": "unknown_integration",
    "conflicting_duplicate": "conflicting_duplicate",
}
UNKNOWN_NAMES = ("connection.paused", "sync.partial", "ActionSkipped")  # per source system
GARBAGE_TIMESTAMPS = (
    "not a timestamp",
    "2025-02-30T10:00:00Z",
    "2024-13-45 25:61:00",
    "yesterday at noon",
    "0000-00-00 00:00:00",
    "31/12/2024 10:00",
)
# Not in the catalog (pipedrive is: the partner delivers it).
UNKNOWN_INTEGRATIONS = ("notion", "jira_cloud", "asana")
NULL_KEY_COLUMNS = ("event_id", "connection_id", "account_id", "integration_key")
MESSY_ID_SALT = 1  # shares the event-id salt; MESSY_BIT keeps the key spaces apart


@dataclass
class Injection:
    table: pa.Table
    block: np.ndarray
    counts: dict[str, int]


def _set(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, values)


def _loaded_us(table: pa.Table) -> np.ndarray:
    return table.column("loaded_at").to_numpy().astype("datetime64[us]").astype(np.int64)


def _select(
    row_block: np.ndarray,
    eligible: np.ndarray,
    is_work: np.ndarray,
    rngs: dict[int, np.random.Generator],
    params: MessyParams,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per block (own stream): disjoint source rows per defect, and one draw per row."""
    picks: dict[str, list[np.ndarray]] = {d: [] for d in DEFECTS}
    draws: dict[str, list[np.ndarray]] = {d: [] for d in DEFECTS}
    for block in np.unique(row_block):
        rng = rngs[int(block)]
        rows = np.nonzero((row_block == block) & eligible)[0]
        perm = rng.permutation(rows)
        k = {d: int(rng.binomial(len(rows), getattr(params, d))) for d in DEFECTS}
        taken = np.zeros(len(row_block), dtype=bool)
        pools = {True: perm[is_work[perm]], False: perm}
        for d in DEFECTS:
            # Property edits need a work event (it has records_count and a non-empty object).
            pool = pools[d in ("conflicting_duplicate", "negative_count")]
            sel = pool[~taken[pool]][: k[d]]
            taken[sel] = True
            picks[d].append(sel)
            draws[d].append(rng.integers(0, 1 << 62, size=len(sel)))
    empty = np.zeros(0, np.int64)
    return (
        {d: np.concatenate(v) if v else empty for d, v in picks.items()},
        {d: np.concatenate(v) if v else empty for d, v in draws.items()},
    )


def inject(
    table: pa.Table,
    row_block: np.ndarray,
    eligible: np.ndarray,
    is_work: np.ndarray,
    rngs: dict[int, np.random.Generator],
    seed: int,
    params: MessyParams,
    catalog: Catalog,
) -> Injection:
    clash = set(UNKNOWN_INTEGRATIONS) & set(catalog.keys)
    if clash:
        raise ValueError(f"'unknown' integrations are in the catalog: {sorted(clash)}")
    sel, draw = _select(row_block, eligible, is_work, rngs, params)
    loaded = _loaded_us(table)
    day_us = 86_400_000_000

    # Late rows are the originals, loaded days later (kept, not duplicates).
    lo, hi = params.late_days_range
    late = sel["late"]
    shifted = loaded.copy()
    shifted[late] += (lo * day_us + draw["late"] % int((hi - lo) * day_us)).astype(np.int64)
    out = [_set(table, "loaded_at", pa.array(shifted, pa.timestamp("us")))]
    out_block = [row_block]

    new_rows = [d for d in DEFECTS if d not in ("exact_duplicate", "conflicting_duplicate", "late")]
    # New event ids: a per-block counter over the defect rows, in selection order.
    blocks_new = np.concatenate([row_block[sel[d]] for d in new_rows])
    order = np.argsort(blocks_new, kind="stable")
    sorted_blocks = blocks_new[order]
    first = np.searchsorted(sorted_blocks, sorted_blocks, side="left")
    counter = np.empty(len(blocks_new), dtype=np.int64)
    counter[order] = np.arange(len(blocks_new)) - first
    keys = MESSY_BIT | block_key(0, counter) | (blocks_new.astype(np.uint64) << np.uint64(36))
    new_ids = hex_ids("evt_", keys, salt(seed, MESSY_ID_SALT))

    offset = 0
    for d in (*("exact_duplicate", "conflicting_duplicate"), *new_rows):
        rows, u = sel[d], draw[d]
        t = table.take(pa.array(rows, pa.int64()))
        if d in ("exact_duplicate", "conflicting_duplicate"):
            delay = 60_000_000 + u % (3 * day_us)
            t = _set(t, "loaded_at", pa.array(loaded[rows] + delay, pa.timestamp("us")))
            if d == "conflicting_duplicate":
                props = pc.replace_substring_regex(
                    t.column("properties"), pattern="}$", replacement=',"replayed":true}'
                )
                t = _set(t, "properties", props)
        else:
            t = _set(t, "event_id", new_ids.slice(offset, len(rows)))
            offset += len(rows)
            t = _defect(t, d, u, loaded[rows])
        out.append(t)
        out_block.append(row_block[rows])

    combined = pa.concat_tables(out)
    blocks = np.concatenate(out_block)
    order = np.lexsort((np.arange(len(blocks)), _loaded_us(combined), blocks))
    return Injection(
        table=combined.take(pa.array(order, pa.int64())),
        block=blocks[order],
        counts={d: len(sel[d]) for d in DEFECTS},
    )


def _pick(options: tuple[str, ...], u: np.ndarray) -> pa.Array:
    return pa.array(list(options)).take(pa.array((u % len(options)).astype(np.int64)))


def _defect(t: pa.Table, defect: str, u: np.ndarray, loaded_us: np.ndarray) -> pa.Table:
    src = pc.index_in(t.column("source_system"), value_set=pa.array(list(SOURCE_SYSTEMS)))
    src_np = src.to_numpy(zero_copy_only=False).astype(np.int64)
    props = t.column("properties")
    if defect == "negative_count":
        bad = pc.replace_substring_regex(
            props, pattern='"records_count":[0-9]+', replacement='"records_count":-5'
        )
        return _set(t, "properties", bad)
    if defect == "invalid_json":
        return _set(
            t, "properties", pc.replace_substring_regex(props, pattern="}$", replacement="")
        )
    if defect == "unknown_event_name":
        return _set(t, "event_name", pa.array(list(UNKNOWN_NAMES)).take(pa.array(src_np)))
    if defect == "null_key":
        which = u % len(NULL_KEY_COLUMNS)
        for j, col in enumerate(NULL_KEY_COLUMNS):
            t = _set(t, col, pc.if_else(pa.array(which == j), None, t.column(col)))
        return t
    if defect == "unparseable_timestamp":
        return _set(t, "occurred_at", _pick(GARBAGE_TIMESTAMPS, u))
    if defect == "future_timestamp":
        ms = loaded_us // 1000 + 2 * 86_400_000 + u % (28 * 86_400_000)
        return _set(t, "occurred_at", occurred_text(ms, src_np, np.full(len(u), 120)))
    if defect == "unknown_integration":
        return _set(t, "integration_key", _pick(UNKNOWN_INTEGRATIONS, u))
    raise ValueError(defect)
