"""Connections: installs, setup, activation, active spells, failure episodes, uninstalls."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from integration_adoption.generator.accounts import Accounts
from integration_adoption.generator.catalog import Catalog
from integration_adoption.generator.config import SEGMENTS, Params
from integration_adoption.generator.timeline import MS_PER_DAY, Timeline

MAX_SPELLS = 4
MAX_GENERATIONS = 3  # an install plus up to two re-installs per account and integration
NO_DAY = np.iinfo(np.int64).max // 4


@dataclass
class Connections:
    acc: np.ndarray  # local account index
    integ: np.ndarray
    generation: np.ndarray
    install_day: np.ndarray
    install_tod: np.ndarray
    activated: np.ndarray  # activates at some point (may be after the period)
    act_day: np.ndarray  # NO_DAY if never
    setup: np.ndarray
    setup_t: np.ndarray  # fractional day
    spell_start: np.ndarray  # [n, MAX_SPELLS], -1 if none
    spell_end: np.ndarray  # exclusive
    ep_start: np.ndarray  # [n, MAX_SPELLS], -1 if none
    ep_end: np.ndarray  # exclusive
    ep_fixed: np.ndarray
    ep_auth: np.ndarray
    uninstall_t: np.ndarray  # fractional day, inf if none
    daily_runs: np.ndarray
    burst_prob: np.ndarray
    volume: np.ndarray
    config_rate: np.ndarray  # config changes per active day
    feature_mean: np.ndarray
    bidirectional_share: np.ndarray

    @property
    def n(self) -> int:
        return len(self.acc)

    def take(self, index: np.ndarray) -> Connections:
        return Connections(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Connections]) -> Connections:
        return Connections(
            **{
                f.name: np.concatenate([getattr(p, f.name) for p in parts])
                for f in fields(Connections)
            }
        )


def _exp(rng: np.random.Generator, mean: np.ndarray | float, n: int) -> np.ndarray:
    return rng.exponential(1.0, size=n) * mean


def _lifecycle(
    rng: np.random.Generator,
    acc: np.ndarray,
    integ: np.ndarray,
    install_t: np.ndarray,
    generation: int,
    accounts: Accounts,
    params: Params,
    catalog: Catalog,
    timeline: Timeline,
) -> Connections:
    n = len(acc)
    n_days = timeline.n_days
    ips = [params.integration(k) for k in catalog.keys]

    def per_int(name: str) -> np.ndarray:
        return np.array([getattr(p, name) for p in ips], dtype=float)[integ]

    segs = [params.segments[s] for s in SEGMENTS]

    def per_seg(name: str) -> np.ndarray:
        return np.array([getattr(p, name) for p in segs], dtype=float)[accounts.segment[acc]]

    install_day = np.floor(install_t).astype(np.int64)
    install_tod = np.minimum(
        np.floor((install_t - install_day) * MS_PER_DAY), MS_PER_DAY - 1
    ).astype(np.int64)

    activated = rng.random(n) < per_int("p_activate")
    same_day = rng.random(n) < per_int("same_day_share")
    delay = np.where(same_day, 0, 1 + np.floor(_exp(rng, per_int("delay_scale_days"), n)))
    act_day = np.where(activated, install_day + delay.astype(np.int64), NO_DAY)

    setup = np.where(
        activated,
        rng.random(n) < per_int("p_setup_if_activated"),
        rng.random(n) < per_int("p_setup_if_not"),
    )
    span = np.maximum(np.where(activated, act_day - install_t, 0.0), 0.02)
    setup_t = install_t + np.where(activated, rng.random(n) ** 2 * span, _exp(rng, 2.0, n))

    window = catalog.active_window_days[integ]
    life_mean = per_int("life_mean_days") * per_seg("life_mult")
    fail_rate = per_int("failure_episodes_per_year") / 365.25
    spell_start = np.full((n, MAX_SPELLS), -1, dtype=np.int64)
    spell_end = np.full((n, MAX_SPELLS), -1, dtype=np.int64)
    ep_start = np.full((n, MAX_SPELLS), -1, dtype=np.int64)
    ep_end = np.full((n, MAX_SPELLS), -1, dtype=np.int64)
    ep_fixed = np.zeros((n, MAX_SPELLS), dtype=bool)
    ep_auth = np.zeros((n, MAX_SPELLS), dtype=bool)
    uninstall_t = np.full(n, np.inf)

    # Activators: uninstalls only after activation, so they never censor the funnel.
    alive = activated & (act_day < n_days)
    start = np.where(alive, act_day, 0)
    for k in range(MAX_SPELLS):
        length = 1 + np.floor(_exp(rng, life_mean, n)).astype(np.int64)
        end = start + length
        has_ep = alive & (length >= 2) & (rng.random(n) < 1 - np.exp(-length * fail_rate))
        e_start = start + 1 + np.floor(rng.random(n) * (length - 1)).astype(np.int64)
        e_len = 2 + np.floor(_exp(rng, per_int("failure_days_mean"), n)).astype(np.int64)
        e_end = np.minimum(e_start + e_len, end)
        fixed = rng.random(n) < per_int("p_fix")
        auth = rng.random(n) < params.events.p_auth_episode
        abandoned = has_ep & ~fixed
        end = np.where(abandoned, e_end, end)

        spell_start[alive, k] = start[alive]
        spell_end[alive, k] = end[alive]
        ep_start[has_ep, k] = e_start[has_ep]
        ep_end[has_ep, k] = e_end[has_ep]
        ep_fixed[has_ep, k] = fixed[has_ep]
        ep_auth[has_ep, k] = auth[has_ep]

        still = alive & (end < n_days)
        p_unins = np.where(abandoned, 0.5, per_int("p_uninstall_after_spell"))
        uninstall = still & (rng.random(n) < p_unins)
        u_t = end + _exp(rng, 15.0, n) + rng.random(n)
        uninstall_t = np.where(uninstall, u_t, uninstall_t)
        resurrect = still & ~uninstall & (rng.random(n) < per_int("p_resurrect"))
        gap = window + 1 + np.floor(_exp(rng, per_int("resurrect_gap_mean_days"), n))
        start = np.where(resurrect, end + gap.astype(np.int64), start)
        alive = resurrect & (start < n_days)

    never = ~activated
    unins_na = never & (rng.random(n) < per_int("p_uninstall_never_activated"))
    uninstall_t = np.where(unins_na, install_t + 0.01 + _exp(rng, 25.0, n), uninstall_t)

    return Connections(
        acc=acc,
        integ=integ,
        generation=np.full(n, generation, dtype=np.int64),
        install_day=install_day,
        install_tod=install_tod,
        activated=activated,
        act_day=act_day,
        setup=setup,
        setup_t=setup_t,
        spell_start=spell_start,
        spell_end=spell_end,
        ep_start=ep_start,
        ep_end=ep_end,
        ep_fixed=ep_fixed,
        ep_auth=ep_auth,
        uninstall_t=uninstall_t,
        daily_runs=per_seg("daily_runs_mean") * np.exp(0.3 * rng.standard_normal(n)),
        burst_prob=np.clip(per_seg("burst_prob") * (0.6 + 0.8 * rng.random(n)), 0.05, 0.95),
        volume=per_seg("volume_scale") * np.exp(0.5 * rng.standard_normal(n)),
        config_rate=per_seg("config_changes_per_year") / 365.25,
        feature_mean=per_seg("feature_mean"),
        bidirectional_share=per_seg("bidirectional_share"),
    )


def simulate_connections(
    rng: np.random.Generator,
    accounts: Accounts,
    params: Params,
    catalog: Catalog,
    timeline: Timeline,
) -> Connections:
    n_days = timeline.n_days
    n_acc, n_int = accounts.install_rate.shape
    open_t = np.maximum(accounts.created_day + accounts.created_tod_ms / MS_PER_DAY, 0.0)
    wait = rng.exponential(1.0, size=(n_acc, n_int)) / accounts.install_rate
    t = open_t[:, None] + wait
    acc, integ = np.nonzero(t < n_days)
    parts = []
    install_t = t[acc, integ]
    p_reinstall = np.array([params.integration(k).p_reinstall for k in catalog.keys])
    for gen in range(MAX_GENERATIONS):
        if len(acc) == 0:
            break
        conns = _lifecycle(rng, acc, integ, install_t, gen, accounts, params, catalog, timeline)
        parts.append(conns)
        again = (conns.uninstall_t < n_days) & (rng.random(conns.n) < p_reinstall[conns.integ])
        next_t = conns.uninstall_t + 1.0 + rng.exponential(30.0, size=conns.n)
        again &= next_t < n_days
        acc, integ, install_t = conns.acc[again], conns.integ[again], next_t[again]
    if not parts:
        return _lifecycle(
            rng,
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            np.zeros(0),
            0,
            accounts,
            params,
            catalog,
            timeline,
        )
    out = Connections.concat(parts)
    order = np.lexsort((out.generation, out.integ, out.acc))
    return out.take(order)
