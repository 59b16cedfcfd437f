"""Churn with a true causal effect of active integrations, and its potential outcomes.

Monthly hazard of account a in month m = base_hazard[a, m] * exp(sum_i beta_i * A[a, i, m]),
where A[a, i, m] says that a connection of integration i was active (§3: a work event in
the active window) on the day before month m began. Churn in month m means no MRR from m
on and no events from the first day of m on. Uniforms are drawn once per account-month, so
the same draws give the outcome with and without an integration's effect (the ATT truth).

Accounts stop installing integrations in the last `conversion_window_days` before their
churn day, so churn never cuts a connection's conversion window short: the observed
activation rate then estimates the model probability (up to the tiny dependence of churn
timing on the connection's own activity). Installs removed that way change the
activity and hence the churn date, so the pair is solved as a fixed point; with every
beta <= 0 removing a connection can only move churn earlier, so the iteration is monotone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from integration_adoption.generator.accounts import Accounts
from integration_adoption.generator.catalog import Catalog
from integration_adoption.generator.connections import Connections
from integration_adoption.generator.timeline import Timeline

_SHIFT = np.int64(1 << 24)
_OFF = np.int64(1 << 22)


def active_flags(
    conns: Connections,
    work_conn: np.ndarray,
    work_day: np.ndarray,
    catalog: Catalog,
    timeline: Timeline,
) -> np.ndarray:
    """[connection, month]: active (§3) on the day before the month's first day."""
    keys = np.sort(work_conn.astype(np.int64) * _SHIFT + work_day + _OFF)
    bounds = timeline.month_start_day
    window = catalog.active_window_days[conns.integ].astype(np.int64)
    base = np.arange(conns.n, dtype=np.int64)[:, None] * _SHIFT + _OFF
    lo = base + bounds[None, :] - window[:, None]
    hi = base + bounds[None, :] - 1
    idx = np.searchsorted(keys, lo.ravel())
    found = np.zeros(idx.shape, dtype=bool)
    if len(keys):
        found = (idx < len(keys)) & (keys[np.minimum(idx, len(keys) - 1)] <= hi.ravel())
    flags = found.reshape(lo.shape)
    uninstall_day = np.floor(np.minimum(conns.uninstall_t, 1e12)).astype(np.int64)
    flags &= (bounds[None, :] - 1) < uninstall_day[:, None]
    flags[:, 0] = False
    return flags


@dataclass
class ChurnResult:
    churn_month: np.ndarray  # per account; n_months = not churned in the period
    kept: np.ndarray  # per connection
    active: np.ndarray  # [account, integration, month] from kept connections


def simulate_churn(
    accounts: Accounts,
    conns: Connections,
    flags: np.ndarray,
    beta: np.ndarray,  # [integration, month]
    catalog: Catalog,
    timeline: Timeline,
) -> ChurnResult:
    n_acc, n_int, n_months = accounts.n, catalog.n, timeline.n_months
    cell = conns.acc * n_int + conns.integ
    conv = catalog.conversion_window_days[conns.integ]
    bounds = np.append(timeline.month_start_day, np.iinfo(np.int64).max // 2)
    kept = np.ones(conns.n, dtype=bool)
    for _ in range(100):
        counts = np.zeros((n_acc * n_int, n_months), dtype=np.int32)
        np.add.at(counts, cell[kept], flags[kept])
        active = (counts > 0).reshape(n_acc, n_int, n_months)
        lp = np.einsum("aim,im->am", active.astype(np.float64), beta)
        hazard = np.minimum(accounts.base_hazard * np.exp(lp), 1.0)
        hit = accounts.churn_eligible & (accounts.churn_uniform < hazard)
        churn = np.where(hit.any(axis=1), hit.argmax(axis=1), n_months)
        churn_day = bounds[churn]
        new_kept = conns.install_day < churn_day[conns.acc] - conv
        if np.array_equal(new_kept, kept):
            return ChurnResult(churn_month=churn, kept=kept, active=active)
        kept = new_kept
    raise RuntimeError("churn fixed point did not converge")
