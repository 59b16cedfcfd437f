"""ground_truth.json: every parameter, the true quantities the marts estimate, and counts."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import numpy as np

from integration_adoption.generator.catalog import CADENCES, Catalog
from integration_adoption.generator.chunk import ChunkResult
from integration_adoption.generator.config import Params, RunConfig
from integration_adoption.generator.messy import DEFECTS, REJECTION_REASON
from integration_adoption.generator.simulate import ImpactSums
from integration_adoption.generator.timeline import Timeline, month_first
from integration_adoption.generator.writer import DETAILS_DIR


def true_activation_rate(p_activate: float, same_day: float, scale: float, window: int) -> float:
    """P(first work event within `window` days of the install date).

    Delay in days is 0 with prob `same_day`, else 1 + floor(Exponential(scale)), so
    P(delay <= W) = same_day + (1 - same_day) * (1 - exp(-W / scale)). Nothing censors it:
    activators only uninstall after activating, and accounts stop installing in the last
    conversion window before their churn (see churn.py), so the funnel's activation_rate
    (right-censored at the as-of date) estimates exactly this.
    """
    return p_activate * (same_day + (1 - same_day) * (1 - math.exp(-window / scale)))


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def build_ground_truth(
    cfg: RunConfig,
    params: Params,
    catalog: Catalog,
    timeline: Timeline,
    results: list[ChunkResult],
) -> dict[str, Any]:
    impact = ImpactSums()
    for r in results:
        impact = impact.add(r.impact)
    by_int = sum((r.connections_by_integration for r in results), np.zeros(catalog.n, np.int64))
    stats: dict[str, int] = {}
    messy: dict[str, int] = dict.fromkeys(DEFECTS, 0)
    for r in results:
        for k, v in r.stats.items():
            stats[k] = stats.get(k, 0) + v
        for k, v in r.messy.items():
            messy[k] += v

    integrations: dict[str, Any] = {}
    for i, key in enumerate(catalog.keys):
        ip = params.integration(key)
        integrations[key] = {
            "integration_kind": "action" if catalog.is_action[i] else "sync",
            "intended_cadence": CADENCES[int(catalog.cadence[i])],
            "active_window_days": int(catalog.active_window_days[i]),
            "conversion_window_days": int(catalog.conversion_window_days[i]),
            "true_activation_rate": true_activation_rate(
                ip.p_activate,
                ip.same_day_share,
                ip.delay_scale_days,
                int(catalog.conversion_window_days[i]),
            ),
            "beta": ip.beta,
            "parameters": asdict(ip),
            "uses_default_parameters": key not in params.integrations,
        }

    impact_rows: dict[str, Any] = {}
    for i, key in enumerate(catalog.keys):
        n_t = int(impact.treated[i]) if len(impact.treated) else 0
        n_c = int(impact.controls[i]) if len(impact.controls) else 0
        t_ret = _rate(int(impact.treated_retained[i]), n_t) if n_t else None
        c_ret = _rate(int(impact.controls_retained[i]), n_c) if n_c else None
        impact_rows[key] = {
            "beta": params.integration(key).beta,
            "n_treated": n_t,
            "att_retention_true": _rate(int(impact.effect[i]), n_t) if n_t else None,
            "treated_retention": t_ret,
            "n_controls": n_c,
            "controls_retention": c_ret,
            "naive_retention_difference": (
                None if t_ret is None or c_ret is None else t_ret - c_ret
            ),
        }

    clean = sum(r.clean_events for r in results)
    raw = sum(r.raw_rows for r in results)
    rejections = dict.fromkeys(
        (
            "null_key",
            "unparseable_timestamp",
            "future_timestamp",
            "unknown_event_name",
            "invalid_properties",
            "unknown_integration",
            "conflicting_duplicate",
        ),
        0,
    )
    for defect, reason in REJECTION_REASON.items():
        rejections[reason] += messy[defect]

    return {
        "generator": "integration_adoption.generator",
        "seed": cfg.seed,
        "start_date": cfg.start_date.isoformat(),
        "end_date": cfg.end_date.isoformat(),
        "n_days": timeline.n_days,
        "accounts_requested": cfg.accounts,
        "messy_enabled": cfg.messy,
        "counts": {
            "accounts": sum(r.accounts for r in results),
            "accounts_in_accounts_table": sum(r.accounts_written for r in results),
            "account_monthly_rows": sum(r.monthly_rows for r in results),
            "connections": sum(r.connections for r in results),
            "connections_by_integration": {
                k: int(v) for k, v in zip(catalog.keys, by_int, strict=True)
            },
            "events": clean,
            "raw_rows": raw,
            "failure_episodes": sum(r.episodes.num_rows for r in results if r.episodes is not None),
            "churned_accounts": sum(
                r.churn.num_rows - r.churn.column("churn_month").null_count
                for r in results
                if r.churn is not None
            ),
            "connections_without_install_event": stats.get("missing_install", 0),
            "connections_with_install_after_first_event": stats.get("install_after_first_event", 0),
            "installs_skipped_before_churn": stats.get("connections_removed_before_churn", 0),
        },
        "integrations": integrations,
        "impact": {
            "defined": timeline.impact_defined,
            "t0": timeline.t0.isoformat(),
            "horizon_months": timeline.horizon_months,
            "last_complete_month": month_first(timeline.last_complete_month_abs).isoformat(),
            "outcome_month": month_first(timeline.last_complete_month_abs).isoformat(),
            "alive_at_t0": impact.alive,
            "definition": (
                "att_retention_true = mean over treated accounts (alive at T0, an active "
                "connection of i on T0 - 1) of retained(with i's effect) - retained(same "
                "draws, beta_i = 0 from T0's month on); retained = MRR > 0 in the month of "
                "T0 + H. Accounts missing from the accounts table (--messy) are left out."
            ),
            "integrations": impact_rows,
        },
        "messy": {
            "enabled": cfg.messy,
            "injected": messy,
            "expected_rejections": rejections,
            "expected_quarantined_rows": sum(rejections.values()),
            "collapsed_exact_duplicates": messy["exact_duplicate"],
            "expected_clean_rows": clean,
            "raw_rows": raw,
            "late_rows": messy["late"],
            "late_days_range": list(params.messy.late_days_range),
            "unknown_account_rows": sum(r.unknown_account_rows for r in results),
            "unknown_accounts": sum(r.unknown_accounts for r in results),
        },
        "parameters": params.as_dict(),
        "details": {
            "failure_episodes": f"{DETAILS_DIR}/failure_episodes.parquet",
            "account_churn": f"{DETAILS_DIR}/account_churn.parquet",
            "impact_potential_outcomes": (
                f"{DETAILS_DIR}/impact_potential_outcomes.parquet"
                if timeline.impact_defined
                else None
            ),
        },
    }
