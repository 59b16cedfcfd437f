"""The partner's part of ground_truth.json (partner.py), added beside the product's."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np

from integration_adoption.generator.catalog import CADENCES, Catalog
from integration_adoption.generator.chunk import ChunkJob, ChunkResult
from integration_adoption.generator.config import Params
from integration_adoption.generator.partner import (
    PARTNER_DEFECTS,
    PARTNER_REJECTION_REASON,
    PARTNER_SOURCE,
    PARTNER_TABLE,
    PartnerMessyParams,
    PartnerResult,
)
from integration_adoption.generator.truth import true_activation_rate

REASONS = (
    "null_key",
    "unparseable_timestamp",
    "future_timestamp",
    "unknown_event_name",
    "invalid_properties",
    "unknown_integration",
    "conflicting_duplicate",
)


def _sum(parts: list[PartnerResult], name: str) -> np.ndarray:
    return np.sum([getattr(p, name) for p in parts], axis=0)


def add_partner_truth(
    truth: dict[str, Any],
    params: Params,
    full_catalog: Catalog,
    job: ChunkJob,
    results: list[ChunkResult],
) -> dict[str, Any]:
    """Add the partner's integrations, counts, impact rows and expected rejections.

    The product's numbers keep their meaning: `counts.connections`, `counts.events` and
    `messy.*` stay the product's; the partner's are under `counts.partner_*` and
    `messy.partner`. `integrations` lists every catalog integration in catalog order.
    """
    catalog = job.partner_catalog
    parts = [r.partner for r in results if r.partner is not None]
    if catalog is None or not parts:
        return truth
    by_int = _sum(parts, "connections_by_integration")
    stats: dict[str, int] = {}
    injected = dict.fromkeys(PARTNER_DEFECTS, 0)
    for p in parts:
        for k, v in p.stats.items():
            stats[k] = stats.get(k, 0) + v
        for k, v in p.injected.items():
            injected[k] += v

    integrations = dict(truth["integrations"])
    impact_rows = dict(truth["impact"]["integrations"])
    treated, treated_ret = _sum(parts, "treated"), _sum(parts, "treated_retained")
    controls, controls_ret = _sum(parts, "controls"), _sum(parts, "controls_retained")
    for i, key in enumerate(catalog.keys):
        ip = params.integration(key)
        window = int(catalog.conversion_window_days[i])
        integrations[key] = {
            "integration_kind": "action" if catalog.is_action[i] else "sync",
            "intended_cadence": CADENCES[int(catalog.cadence[i])],
            "active_window_days": int(catalog.active_window_days[i]),
            "conversion_window_days": window,
            "true_activation_rate": true_activation_rate(
                ip.p_activate, ip.same_day_share, ip.delay_scale_days, window
            ),
            "beta": ip.beta,
            "parameters": asdict(ip),
            "uses_default_parameters": key not in params.integrations,
            "source_system": PARTNER_SOURCE,
            "raw_table": PARTNER_TABLE,
        }
        n_t, n_c = int(treated[i]), int(controls[i])
        t_ret = int(treated_ret[i]) / n_t if n_t else None
        c_ret = int(controls_ret[i]) / n_c if n_c else None
        impact_rows[key] = {
            "beta": ip.beta,
            "n_treated": n_t,
            "att_retention_true": 0.0 if n_t else None,  # beta 0: no effect by construction
            "treated_retention": t_ret,
            "n_controls": n_c,
            "controls_retention": c_ret,
            "naive_retention_difference": (
                None if t_ret is None or c_ret is None else t_ret - c_ret
            ),
        }
    truth["integrations"] = {k: integrations[k] for k in full_catalog.keys if k in integrations}
    truth["impact"]["integrations"] = {
        k: impact_rows[k] for k in full_catalog.keys if k in impact_rows
    }

    clean = sum(p.clean_events for p in parts)
    raw = sum(p.raw_rows for p in parts)
    truth["counts"].update(
        {
            "partner_connections": int(by_int.sum()),
            "partner_connections_by_integration": {
                k: int(v) for k, v in zip(catalog.keys, by_int, strict=True)
            },
            "partner_events": clean,
            "partner_raw_rows": raw,
            "partner_connections_without_install_event": stats.get("missing_install", 0),
            "partner_connections_with_install_after_first_event": stats.get(
                "install_after_first_event", 0
            ),
            "partner_installs_skipped_before_churn": stats.get("installs_skipped_before_churn", 0),
        }
    )
    rejections = dict.fromkeys(REASONS, 0)
    for defect, reason in PARTNER_REJECTION_REASON.items():
        rejections[reason] += injected[defect]
    truth["messy"]["partner"] = {
        "source_system": PARTNER_SOURCE,
        "raw_table": PARTNER_TABLE,
        "rates": asdict(PartnerMessyParams()),
        "injected": injected,
        "expected_rejections": rejections,
        "expected_quarantined_rows": sum(rejections.values()),
        "collapsed_exact_duplicates": injected["redelivery"],
        "expected_clean_rows": clean,
        "raw_rows": raw,
    }
    return truth
