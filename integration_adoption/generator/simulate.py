"""One block of accounts, simulated end to end with its own random streams."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from integration_adoption.generator.accounts import Accounts, simulate_accounts
from integration_adoption.generator.activity import expand_days
from integration_adoption.generator.catalog import Catalog, source_system_for
from integration_adoption.generator.churn import active_flags, simulate_churn
from integration_adoption.generator.config import BLOCK_ACCOUNTS, COUNTRIES, Params
from integration_adoption.generator.connections import Connections, simulate_connections
from integration_adoption.generator.events import Events, build_events, truncate_and_mess_installs
from integration_adoption.generator.ids import block_key
from integration_adoption.generator.text import property_group
from integration_adoption.generator.timeline import Timeline

STREAMS = ("accounts", "connections", "activity", "events", "messy")


def block_rngs(seed: int, block: int) -> dict[str, np.random.Generator]:
    children = np.random.SeedSequence(entropy=seed, spawn_key=(block,)).spawn(len(STREAMS))
    return {name: np.random.default_rng(s) for name, s in zip(STREAMS, children, strict=True)}


@dataclass
class ImpactSums:
    """Per integration sums over accounts alive at T0 (summed over blocks)."""

    alive: int = 0
    treated: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    effect: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # sum Y1 - Y0
    treated_retained: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    controls: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    controls_retained: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def add(self, other: ImpactSums) -> ImpactSums:
        if len(self.treated) == 0:
            return other
        return ImpactSums(
            alive=self.alive + other.alive,
            treated=self.treated + other.treated,
            effect=self.effect + other.effect,
            treated_retained=self.treated_retained + other.treated_retained,
            controls=self.controls + other.controls,
            controls_retained=self.controls_retained + other.controls_retained,
        )


@dataclass
class PotentialChurn:
    """Per account alive at T0 (created by then, not churned) by integration: churn month
    with and without the integration's effect.

    `with` is the account as simulated; `without` the same draws with beta_i = 0 from
    T0's month on (the counterfactual behind att_retention_true). No new randomness.
    """

    account: np.ndarray  # index in the block
    integration: np.ndarray
    is_treated: np.ndarray
    is_control: np.ndarray
    churn_with: np.ndarray
    churn_without: np.ndarray


@dataclass
class Block:
    block: int
    accounts: Accounts
    orphan: np.ndarray  # account left out of the accounts/billing tables (messy only)
    churn_month: np.ndarray
    conns: Connections  # kept connections
    conn_keys: np.ndarray
    events: Events
    event_keys: np.ndarray
    loaded_us: np.ndarray
    episodes: dict[str, np.ndarray]
    impact: ImpactSums
    potential: PotentialChurn | None
    stats: dict[str, int]
    messy_rng: np.random.Generator


def _impact(
    accounts: Accounts,
    conns: Connections,
    flags: np.ndarray,
    beta: np.ndarray,
    actual_churn: np.ndarray,
    active: np.ndarray,
    kept: np.ndarray,
    include: np.ndarray,
    catalog: Catalog,
    timeline: Timeline,
) -> tuple[ImpactSums, PotentialChurn | None]:
    n_int = catalog.n
    zeros = np.zeros(n_int, np.int64)
    if not timeline.impact_defined:
        empty = ImpactSums(0, zeros, zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy())
        return empty, None
    t0m, thm = timeline.t0_month, timeline.horizon_month
    t0_day = timeline.month_start_day[t0m]
    alive = include & (actual_churn > t0m)
    y1 = actual_churn > thm
    installed_before = np.zeros((accounts.n, n_int), dtype=bool)
    early = kept & (conns.install_day < t0_day)
    installed_before[conns.acc[early], conns.integ[early]] = True
    sums = ImpactSums(int(alive.sum()), *(zeros.copy() for _ in range(5)))
    # the potential outcomes: accounts with MRR in T0's month (§8's alive at T0)
    alive_idx = np.nonzero(alive & (accounts.created_month <= t0m))[0]
    without: list[np.ndarray] = []
    for i in range(n_int):
        treated = alive & active[:, i, t0m]
        controls = alive & ~installed_before[:, i]
        churn0 = actual_churn
        # every alive account's outcome without i (a control may adopt i after T0)
        if beta[i].any() and (treated.any() or alive_idx.size):
            cf = beta.copy()
            cf[i, t0m:] = 0.0
            churn0 = simulate_churn(accounts, conns, flags, cf, catalog, timeline).churn_month
        y0 = churn0 > thm
        without.append(churn0[alive_idx])
        sums.treated[i] = treated.sum()
        sums.effect[i] = (y1[treated].astype(np.int64) - y0[treated]).sum()
        sums.treated_retained[i] = y1[treated].sum()
        sums.controls[i] = controls.sum()
        sums.controls_retained[i] = y1[controls].sum()
    potential = PotentialChurn(
        account=np.tile(alive_idx, n_int),
        integration=np.repeat(np.arange(n_int), len(alive_idx)),
        is_treated=active[alive_idx, :, t0m].T.ravel(),
        is_control=~installed_before[alive_idx, :].T.ravel(),
        churn_with=np.tile(actual_churn[alive_idx], n_int),
        churn_without=np.concatenate(without) if without else np.zeros(0, np.int64),
    )
    return sums, potential


def simulate_block(
    seed: int,
    block: int,
    n_accounts: int,
    messy: bool,
    params: Params,
    catalog: Catalog,
    timeline: Timeline,
) -> Block:
    rngs = block_rngs(seed, block)
    accounts = simulate_accounts(
        rngs["accounts"], block * BLOCK_ACCOUNTS, n_accounts, params, timeline, catalog
    )
    messy_u = rngs["messy"].random(n_accounts)
    orphan = messy & (messy_u < params.messy.share_accounts_missing)

    conns = simulate_connections(rngs["connections"], accounts, params, catalog, timeline)
    days = expand_days(rngs["activity"], conns, params, catalog, timeline.n_days)
    work = days.is_work
    flags = active_flags(conns, days.conn[work], days.day[work], catalog, timeline)
    betas = np.array([params.integration(k).beta for k in catalog.keys])
    beta = np.repeat(betas[:, None], timeline.n_months, axis=1)
    churn = simulate_churn(accounts, conns, flags, beta, catalog, timeline)
    impact, potential = _impact(
        accounts,
        conns,
        flags,
        beta,
        churn.churn_month,
        churn.active,
        churn.kept,
        ~orphan,
        catalog,
        timeline,
    )

    # Keep the connections the account really made; stop everything at churn.
    kept_idx = np.nonzero(churn.kept)[0]
    new_index = np.full(conns.n, -1, dtype=np.int64)
    new_index[kept_idx] = np.arange(len(kept_idx))
    bounds = np.append(timeline.month_start_day, timeline.n_days)
    churn_day = bounds[np.minimum(churn.churn_month, timeline.n_months)]
    kept_conns = conns.take(kept_idx)
    day_keep = churn.kept[days.conn] & (days.day < churn_day[conns.acc[days.conn]])
    days = days.take(np.nonzero(day_keep)[0])
    days.conn = new_index[days.conn]

    events = build_events(rngs["events"], accounts, kept_conns, days, params, catalog, timeline)
    stop_ms = timeline.epoch_ms(churn_day, np.zeros_like(churn_day))[kept_conns.acc]
    events, stats = truncate_and_mess_installs(rngs["events"], events, kept_conns, stop_ms, params)
    rng = rngs["events"]
    delay_us = 30_000_000 + (
        rng.exponential(params.events.load_delay_minutes_mean * 60e6, size=events.n)
    ).astype(np.int64)
    loaded_us = events.ms * 1000 + delay_us
    # Rows grouped by source system and payload shape (so text is built without shuffles),
    # then in load order.
    src = event_source(events, kept_conns, catalog)
    order = np.lexsort((np.arange(events.n), loaded_us, property_group(events.kind), src))
    events = events.take(order)
    loaded_us = loaded_us[order]

    episodes = _episodes(kept_conns, churn_day, timeline)
    stats["connections"] = kept_conns.n
    stats["connections_removed_before_churn"] = int(conns.n - kept_conns.n)
    return Block(
        block=block,
        accounts=accounts,
        orphan=orphan,
        churn_month=churn.churn_month,
        conns=kept_conns,
        conn_keys=block_key(block, np.arange(kept_conns.n)),
        events=events,
        event_keys=block_key(block, np.arange(events.n)),
        loaded_us=loaded_us,
        episodes=episodes,
        impact=impact,
        potential=potential,
        stats=stats,
        messy_rng=rngs["messy"],
    )


def _episodes(
    conns: Connections, churn_day: np.ndarray, timeline: Timeline
) -> dict[str, np.ndarray]:
    c, k = np.nonzero(conns.ep_start >= 0)
    start = conns.ep_start[c, k]
    end = conns.ep_end[c, k]  # exclusive
    stop = np.minimum(churn_day[conns.acc[c]], timeline.n_days)
    ok = start < stop
    c, k, start, end, stop = c[ok], k[ok], start[ok], end[ok], stop[ok]
    return {
        "conn": c,
        "start_day": start,
        "end_day": np.minimum(end, stop) - 1,
        "fixed": conns.ep_fixed[c, k],
        "auth": conns.ep_auth[c, k],
        "censored": end > stop,
    }


def event_source(events: Events, conns: Connections, catalog: Catalog) -> np.ndarray:
    lookup = np.array(
        [[source_system_for(kind, bool(a)) for kind in range(7)] for a in (False, True)],
        dtype=np.int8,
    )
    return lookup[catalog.is_action[conns.integ[events.conn]].astype(np.int64), events.kind]


COUNTRY_OFFSETS = np.array(list(COUNTRIES.values()), dtype=np.int64)
