"""A second source system: a partner's webhook log, with its own layout and event names.

The integrations listed in PARTNER_INTEGRATIONS (pipedrive) are delivered only by the
partner, never by the product's own systems. Their connections are simulated by the same
code as every other integration (connections.py, activity.py, events.py), for the
accounts of each block, once the block's churn is known. That is exact because their
beta is 0 (checked): their activity never moves churn. As for every integration, accounts
stop installing them in the last conversion window before churn (churn.py) and every
event stops at churn. Accounts missing from the accounts table (--messy) get none, so the
product's unknown-account counts keep their meaning. Each block has its own random
streams here, so adding the partner does not change a byte of the product tables.

The raw table, one row per webhook delivery (at-least-once, like the product's):
delivery_id, hook (the partner's event name), sent_at_epoch_ms (UTC epoch millis),
received_at (load time), workspace (= account_id), installation (= connection_id), app
(= integration_key), actor (= user_id, null for automatic work) and payload (JSON text
with the partner's own keys).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from integration_adoption.generator.accounts import install_rates
from integration_adoption.generator.activity import expand_days
from integration_adoption.generator.catalog import (
    K_AUTH_FAILED,
    K_CONFIG,
    K_INSTALLED,
    K_SETUP,
    K_SYNC_FAILED,
    K_UNINSTALLED,
    K_WORK,
    Catalog,
)
from integration_adoption.generator.churn import active_flags
from integration_adoption.generator.config import Params
from integration_adoption.generator.connections import Connections, simulate_connections
from integration_adoption.generator.events import ERRORS, Events, build_events
from integration_adoption.generator.events import truncate_and_mess_installs as stop_at_churn
from integration_adoption.generator.ids import (
    MESSY_BIT,
    account_ids,
    block_key,
    hex_ids,
    salt,
    user_ids,
)
from integration_adoption.generator.messy import UNKNOWN_INTEGRATIONS
from integration_adoption.generator.simulate import STREAMS, Block
from integration_adoption.generator.text import property_group
from integration_adoption.generator.timeline import MS_PER_DAY, Timeline

PARTNER_SOURCE = "partner_webhooks"
PARTNER_TABLE = "partner_webhook_deliveries"
PARTNER_INTEGRATIONS = ("pipedrive",)

# The partner's own event names (the event_name_map seed maps them back).
HOOKS = {
    K_INSTALLED: "installation.created",
    K_SETUP: "installation.configured",
    K_WORK: "sync.completed",
    K_SYNC_FAILED: "sync.errored",
    K_AUTH_FAILED: "credentials.expired",
    K_CONFIG: "settings.saved",
    K_UNINSTALLED: "installation.removed",
}
UNKNOWN_HOOKS = ("installation.paused", "deal.updated", "sync.skipped")

PARTNER_SCHEMA = pa.schema(
    [
        ("delivery_id", pa.string()),
        ("hook", pa.string()),
        ("sent_at_epoch_ms", pa.int64()),
        ("received_at", pa.timestamp("us")),
        ("workspace", pa.string()),
        ("installation", pa.string()),
        ("app", pa.string()),
        ("actor", pa.string()),
        ("payload", pa.string()),
    ]
)
# Purposes of ids.salt (tables.py uses 1 and 2): own key spaces, own prefixes.
DELIVERY_ID_SALT, INSTALLATION_ID_SALT = 3, 4
# The partner's random streams of a block: the child after the product's (simulate.py).
PARTNER_STREAM = len(STREAMS)


@dataclass(frozen=True)
class PartnerMessyParams:
    """Rates per clean partner delivery, drawn per block (exact counts land in ground truth).

    Every defect row is a copy of a real delivery with a new delivery_id and one defect;
    a redelivery repeats a delivery exactly, received later (it collapses).
    """

    redelivery: float = 0.004
    unknown_hook: float = 0.001
    null_installation: float = 0.001
    truncated_payload: float = 0.001
    sent_after_received: float = 0.001


PARTNER_DEFECTS = (
    "redelivery",
    "unknown_hook",
    "null_installation",
    "truncated_payload",
    "sent_after_received",
)
PARTNER_REJECTION_REASON = {
    "unknown_hook": "unknown_event_name",
    "null_installation": "null_key",
    "truncated_payload": "invalid_properties",
    "sent_after_received": "future_timestamp",
}


@dataclass
class PartnerResult:
    """One chunk's partner numbers (summed over chunks for the ground truth)."""

    connections_by_integration: np.ndarray
    clean_events: int = 0
    raw_rows: int = 0
    injected: dict[str, int] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    # impact sums per partner integration (accounts alive at T0)
    treated: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    treated_retained: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    controls: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    controls_retained: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


def _subset(catalog: Catalog, keep: list[int]) -> Catalog:
    return dataclasses.replace(
        catalog,
        keys=tuple(catalog.keys[i] for i in keep),
        categories=tuple(catalog.categories[i] for i in keep),
        is_action=catalog.is_action[keep],
        cadence=catalog.cadence[keep],
        active_window_days=catalog.active_window_days[keep],
        conversion_window_days=catalog.conversion_window_days[keep],
    )


def split_catalog(catalog: Catalog, params: Params) -> tuple[Catalog, Catalog]:
    """(the product's integrations, the partner's) of the seed catalog."""
    clash = set(UNKNOWN_INTEGRATIONS) & set(catalog.keys)
    if clash:
        raise ValueError(f"'unknown' integrations are in the catalog: {sorted(clash)}")
    partner = [i for i, k in enumerate(catalog.keys) if k in PARTNER_INTEGRATIONS]
    product = [i for i in range(catalog.n) if i not in partner]
    for i in partner:
        if catalog.is_action[i]:
            raise ValueError(f"partner integration {catalog.keys[i]} must be a sync")
        if params.integration(catalog.keys[i]).beta != 0:
            raise SystemExit(f"partner integration {catalog.keys[i]} must have beta = 0")
    return _subset(catalog, product), _subset(catalog, partner)


def _rngs(seed: int, block: int) -> dict[str, np.random.Generator]:
    root = np.random.SeedSequence(entropy=seed, spawn_key=(block, PARTNER_STREAM))
    names = ("connections", "activity", "events", "messy")
    return {n: np.random.default_rng(s) for n, s in zip(names, root.spawn(4), strict=True)}


def _s(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int64)).cast(pa.string())


def _payload(e: Events) -> pa.Array:
    """The partner's JSON: its own key names and value vocabulary."""
    join = pc.binary_join_element_wise
    group = property_group(e.kind)
    mode = pa.array(["auto", "user"]).take(pa.array(e.manual.astype(np.int8)))
    codes = pa.array([c for c, _ in ERRORS]).take(pa.array(np.maximum(e.error, 0)))
    details = pa.array([m for _, m in ERRORS]).take(pa.array(np.maximum(e.error, 0)))
    sync_mode = pa.array(["one_way", "two_way"]).take(pa.array(e.bidirectional.astype(np.int8)))
    shapes = {
        0: join(
            '{"status":"ok","rows_written":',
            _s(e.records),
            ',"requests":',
            _s(e.api_calls),
            ',"payload_bytes":',
            _s(e.bytes),
            ',"took_ms":',
            _s(e.duration_ms),
            ',"mode":"',
            mode,
            '"}',
            "",
        ),
        1: join(
            '{"status":"error","error":"',
            codes,
            '","error_detail":"',
            details,
            '","requests":',
            _s(e.api_calls),
            ',"mode":"',
            mode,
            '"}',
            "",
        ),
        2: join(
            '{"sync_mode":"',
            sync_mode,
            '","custom_field_count":',
            _s(np.maximum(e.custom_fields, 0)),
            ',"filter_count":',
            _s(np.maximum(e.filters, 0)),
            ',"transform_count":',
            _s(np.maximum(e.transformations, 0)),
            "}",
            "",
        ),
    }
    out = pa.repeat(pa.scalar("{}"), e.n)
    for g, values in shapes.items():
        out = pc.if_else(pa.array(group == g), values, out)
    return out


def _block_table(
    seed: int,
    b: Block,
    conns: Connections,
    e: Events,
    received_us: np.ndarray,
    catalog: Catalog,
) -> pa.Table:
    hooks = pa.array([HOOKS[k] for k in range(len(HOOKS))])
    installations = hex_ids(
        "ins_", block_key(b.block, np.arange(conns.n)), salt(seed, INSTALLATION_ID_SALT)
    )
    acc = conns.acc[e.conn]
    columns = [
        hex_ids("dlv_", block_key(b.block, np.arange(e.n)), salt(seed, DELIVERY_ID_SALT)),
        hooks.take(pa.array(e.kind.astype(np.int64))),
        pa.array(e.ms, pa.int64()),
        pa.array(received_us, pa.timestamp("us")),
        account_ids(b.accounts.gidx).take(pa.array(acc)),
        installations.take(pa.array(e.conn)),
        pa.array(list(catalog.keys)).take(pa.array(conns.integ[e.conn])),
        user_ids(b.accounts.gidx[acc], e.user),
        _payload(e),
    ]
    return pa.Table.from_arrays(columns, schema=PARTNER_SCHEMA)


def _set(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, values)


def _inject(
    table: pa.Table, block: int, rng: np.random.Generator, seed: int, rates: PartnerMessyParams
) -> tuple[pa.Table, dict[str, int]]:
    """Known numbers of bad partner rows (disjoint source rows, one defect each)."""
    n = table.num_rows
    perm = rng.permutation(n)
    k = {d: int(rng.binomial(n, getattr(rates, d))) for d in PARTNER_DEFECTS}
    received = table.column("received_at").to_numpy().astype("datetime64[us]").astype(np.int64)
    parts, first, counter = [table], 0, 0
    for d in PARTNER_DEFECTS:
        rows = perm[first : first + k[d]]
        first += k[d]
        u = rng.integers(0, 1 << 40, size=len(rows))
        t = table.take(pa.array(rows, pa.int64()))
        later = received[rows] + 1_000_000 + u % (6 * 3_600_000_000)
        if d == "redelivery":
            t = _set(t, "received_at", pa.array(later, pa.timestamp("us")))
            parts.append(t)
            continue
        keys = MESSY_BIT | block_key(block, np.arange(counter, counter + len(rows)))
        counter += len(rows)
        t = _set(t, "delivery_id", hex_ids("dlv_", keys, salt(seed, DELIVERY_ID_SALT)))
        if d == "unknown_hook":
            pick = pa.array((u % len(UNKNOWN_HOOKS)).astype(np.int64))
            t = _set(t, "hook", pa.array(list(UNKNOWN_HOOKS)).take(pick))
        elif d == "null_installation":
            t = _set(t, "installation", pa.nulls(len(rows), pa.string()))
        elif d == "truncated_payload":
            cut = pc.replace_substring_regex(t.column("payload"), pattern="}$", replacement="")
            t = _set(t, "payload", cut)
        else:  # sent two to thirty days after it was received
            sent = received[rows] // 1000 + 2 * MS_PER_DAY + u % (28 * MS_PER_DAY)
            t = _set(t, "sent_at_epoch_ms", pa.array(sent, pa.int64()))
        parts.append(t)
    out = pa.concat_tables(parts)
    order = np.lexsort((np.arange(out.num_rows), out.column("received_at").to_numpy()))
    return out.take(pa.array(order, pa.int64())), k


def simulate_partner(
    seed: int,
    blocks: list[Block],
    messy: bool,
    params: Params,
    catalog: Catalog,
    timeline: Timeline,
) -> tuple[pa.Table, PartnerResult]:
    """The partner's deliveries of a chunk's blocks, and its numbers for the ground truth."""
    res = PartnerResult(connections_by_integration=np.zeros(catalog.n, np.int64))
    for name in ("treated", "treated_retained", "controls", "controls_retained"):
        setattr(res, name, np.zeros(catalog.n, np.int64))
    res.injected = dict.fromkeys(PARTNER_DEFECTS, 0)
    tables = []
    for b in blocks:
        table = _simulate_block(seed, b, messy, params, catalog, timeline, res)
        tables.append(table)
    table = pa.concat_tables(tables) if tables else PARTNER_SCHEMA.empty_table()
    res.raw_rows = table.num_rows
    return table, res


def _simulate_block(
    seed: int,
    b: Block,
    messy: bool,
    params: Params,
    catalog: Catalog,
    timeline: Timeline,
    res: PartnerResult,
) -> pa.Table:
    rngs = _rngs(seed, b.block)
    a = b.accounts
    rates = install_rates(
        a.segment, a.industry, a.employees, a.plan, a.created_month, params, timeline, catalog
    )
    accounts = dataclasses.replace(a, install_rate=rates)
    conns = simulate_connections(rngs["connections"], accounts, params, catalog, timeline)
    days = expand_days(rngs["activity"], conns, params, catalog, timeline.n_days)
    work = days.is_work
    flags = active_flags(conns, days.conn[work], days.day[work], catalog, timeline)

    # Churn as the product simulated it (beta 0: these connections do not move it).
    n_months = timeline.n_months
    never = np.iinfo(np.int64).max // 2
    install_stop = np.append(timeline.month_start_day, never)[b.churn_month]
    conv = catalog.conversion_window_days[conns.integ]
    kept = (conns.install_day < install_stop[conns.acc] - conv) & ~b.orphan[conns.acc]
    churn_day = np.append(timeline.month_start_day, timeline.n_days)[
        np.minimum(b.churn_month, n_months)
    ]
    kept_idx = np.nonzero(kept)[0]
    new_index = np.full(conns.n, -1, dtype=np.int64)
    new_index[kept_idx] = np.arange(len(kept_idx))
    kept_conns = conns.take(kept_idx)
    day_keep = kept[days.conn] & (days.day < churn_day[conns.acc[days.conn]])
    days = days.take(np.nonzero(day_keep)[0])
    days.conn = new_index[days.conn]
    _impact(b, kept_conns, flags[kept_idx], catalog, timeline, res)

    events = build_events(rngs["events"], accounts, kept_conns, days, params, catalog, timeline)
    stop_ms = timeline.epoch_ms(churn_day, np.zeros_like(churn_day))[kept_conns.acc]
    events, stats = stop_at_churn(rngs["events"], events, kept_conns, stop_ms, params)
    rng = rngs["events"]
    # Webhooks arrive within seconds to minutes of being sent.
    received_us = (
        events.ms * 1000 + 2_000_000 + rng.exponential(90e6, size=events.n).astype(np.int64)
    )
    order = np.lexsort((np.arange(events.n), received_us))
    events = events.take(order)
    received_us = received_us[order]

    res.connections_by_integration += np.bincount(kept_conns.integ, minlength=catalog.n)
    res.clean_events += events.n
    for k, v in stats.items():
        res.stats[k] = res.stats.get(k, 0) + v
    res.stats["installs_skipped_before_churn"] = res.stats.get(
        "installs_skipped_before_churn", 0
    ) + int((~kept & ~b.orphan[conns.acc]).sum())
    table = _block_table(seed, b, kept_conns, events, received_us, catalog)
    if messy and table.num_rows:
        table, injected = _inject(table, b.block, rngs["messy"], seed, PartnerMessyParams())
        for k, v in injected.items():
            res.injected[k] += v
    return table


def _impact(
    b: Block,
    conns: Connections,
    flags: np.ndarray,
    catalog: Catalog,
    timeline: Timeline,
    res: PartnerResult,
) -> None:
    """Treated and control counts at T0 (§8); beta 0, so the true effect is 0."""
    if not timeline.impact_defined:
        return
    t0m, thm = timeline.t0_month, timeline.horizon_month
    t0_day = timeline.month_start_day[t0m]
    alive = ~b.orphan & (b.churn_month > t0m)
    retained = b.churn_month > thm
    acc, integ, install_day = conns.acc, conns.integ, conns.install_day
    for i in range(catalog.n):
        mine = integ == i
        active = np.zeros(b.accounts.n, dtype=bool)
        active[acc[mine & flags[:, t0m]]] = True
        installed_before = np.zeros(b.accounts.n, dtype=bool)
        installed_before[acc[mine & (install_day < t0_day)]] = True
        treated = alive & active
        controls = alive & ~installed_before
        res.treated[i] += treated.sum()
        res.treated_retained[i] += retained[treated].sum()
        res.controls[i] += controls.sum()
        res.controls_retained[i] += retained[controls].sum()
