"""Accounts: attributes, tenure, monthly MRR path and baseline churn hazard."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from integration_adoption.generator.catalog import Catalog
from integration_adoption.generator.config import (
    COUNTRIES,
    COUNTRY_SHARES,
    INDUSTRIES,
    SEGMENTS,
    SIZE_CUTS,
    TENURE_CUTS_MONTHS,
    Params,
)
from integration_adoption.generator.timeline import MS_PER_DAY, Timeline


def band(values: np.ndarray, cuts: tuple[int, ...]) -> np.ndarray:
    """Left-closed bins [a, b) as in metric-definitions §8."""
    return np.searchsorted(np.asarray(cuts), values, side="right")


@dataclass
class Accounts:
    gidx: np.ndarray  # global account number
    segment: np.ndarray
    industry: np.ndarray
    employees: np.ndarray
    country: np.ndarray
    plan: np.ndarray
    created_day: np.ndarray  # day index, negative = before the start
    created_tod_ms: np.ndarray
    created_month: np.ndarray  # month index (may be negative)
    n_users: np.ndarray
    mrr: np.ndarray  # [n, months] MRR if alive
    zero_rows_after_churn: np.ndarray
    base_hazard: np.ndarray  # [n, months] monthly churn hazard without integrations
    churn_eligible: np.ndarray  # [n, months]
    churn_uniform: np.ndarray  # [n, months] pre-drawn
    install_rate: np.ndarray  # [n, integrations] installs per day

    @property
    def n(self) -> int:
        return len(self.gidx)


def simulate_accounts(
    rng: np.random.Generator,
    first_index: int,
    n: int,
    params: Params,
    timeline: Timeline,
    catalog: Catalog,
) -> Accounts:
    seg_params = [params.segments[s] for s in SEGMENTS]
    shares = np.array([p.share for p in seg_params])
    segment = rng.choice(len(SEGMENTS), size=n, p=shares / shares.sum())
    industry = rng.integers(0, len(INDUSTRIES), size=n)
    country_p = np.array(COUNTRY_SHARES)
    country = rng.choice(len(COUNTRIES), size=n, p=country_p / country_p.sum())

    med = np.array([p.employees_median for p in seg_params])[segment]
    sig = np.array([p.employees_sigma for p in seg_params])[segment]
    lo = np.array([p.employees_min for p in seg_params])[segment]
    hi = np.array([p.employees_max for p in seg_params])[segment]
    employees = np.clip(np.round(med * np.exp(sig * rng.standard_normal(n))), lo, hi)
    employees = employees.astype(np.int64)

    plan_p = np.array([[p.plan_probs.get(pl, 0.0) for pl in catalog.plans] for p in seg_params])
    plan_p = plan_p / plan_p.sum(axis=1, keepdims=True)
    u = rng.random(n)
    plan = (u[:, None] > np.cumsum(plan_p[segment], axis=1)).sum(axis=1)
    plan = np.minimum(plan, len(catalog.plans) - 1)

    bill = params.billing
    before = rng.random(n) < bill.share_created_before_start
    tenure_days = np.floor(rng.random(n) ** 1.3 * bill.max_tenure_years_at_start * 365.25) + 1
    during = np.floor(rng.random(n) * timeline.n_days)
    created_day = np.where(before, -tenure_days, during).astype(np.int64)
    created_tod_ms = rng.integers(0, MS_PER_DAY, size=n)
    # month index of created day (relative to the start month)
    created_dates = np.datetime64(timeline.start) + created_day.astype("timedelta64[D]")
    created_month = created_dates.astype("datetime64[M]").astype(np.int64) - (
        timeline.start_month_abs - (1970 * 12)
    )

    n_users = np.maximum(
        2, np.round(employees * params.events.users_per_100_employees / 100.0)
    ).astype(np.int64)
    n_users = np.minimum(n_users, 60)

    months = timeline.n_months
    base_mrr = np.array([bill.plan_base_mrr[p] for p in catalog.plans])[plan]
    base_mrr = (
        base_mrr * (1 + 0.1 * np.log1p(employees)) * np.exp(bill.mrr_sigma * rng.standard_normal(n))
    )
    step_u = rng.random((n, months))
    step_x = rng.random((n, months))
    factor = np.ones((n, months))
    exp_mask = step_u < bill.p_expansion
    con_mask = (step_u >= bill.p_expansion) & (step_u < bill.p_expansion + bill.p_contraction)
    e_lo, e_hi = bill.expansion_range
    c_lo, c_hi = bill.contraction_range
    factor[exp_mask] = e_lo + (e_hi - e_lo) * step_x[exp_mask]
    factor[con_mask] = c_lo + (c_hi - c_lo) * step_x[con_mask]
    factor[:, 0] = 1.0
    mrr = np.round(base_mrr[:, None] * np.cumprod(factor, axis=1), 2)
    zero_rows = rng.random(n) < bill.share_churned_with_zero_rows

    cov = params.covariates
    size_band = band(employees, SIZE_CUTS)
    month_idx = np.arange(months)
    tenure_months = month_idx[None, :] - created_month[:, None]
    tenure_band_m = band(np.maximum(tenure_months, 0), TENURE_CUTS_MONTHS)
    plan_names = [catalog.plans[p] for p in range(len(catalog.plans))]
    hazard = (
        np.array([p.base_monthly_churn for p in seg_params])[segment]
        * np.array(cov.churn_by_size_band)[size_band]
        * np.array([cov.churn_by_plan.get(p, 1.0) for p in plan_names])[plan]
        * np.array([cov.churn_by_industry.get(i, 1.0) for i in INDUSTRIES])[industry]
    )
    base_hazard = hazard[:, None] * np.array(cov.churn_by_tenure_band)[tenure_band_m]
    eligible = (month_idx[None, :] >= 1) & (tenure_months > 0)
    churn_uniform = rng.random((n, months))

    install_rate = install_rates(
        segment, industry, employees, plan, created_month, params, timeline, catalog
    )

    return Accounts(
        gidx=np.arange(first_index, first_index + n, dtype=np.int64),
        segment=segment,
        industry=industry,
        employees=employees,
        country=country,
        plan=plan,
        created_day=created_day,
        created_tod_ms=created_tod_ms,
        created_month=created_month,
        n_users=n_users,
        mrr=mrr,
        zero_rows_after_churn=zero_rows,
        base_hazard=np.minimum(base_hazard, 0.5),
        churn_eligible=eligible,
        churn_uniform=churn_uniform,
        install_rate=install_rate,
    )


def install_rates(
    segment: np.ndarray,
    industry: np.ndarray,
    employees: np.ndarray,
    plan: np.ndarray,
    created_month: np.ndarray,
    params: Params,
    timeline: Timeline,
    catalog: Catalog,
) -> np.ndarray:
    """[account, integration] installs per day (also used for the partner's integrations)."""
    seg_params = [params.segments[s] for s in SEGMENTS]
    cov = params.covariates
    size_band = band(employees, SIZE_CUTS)
    plan_names = [catalog.plans[p] for p in range(len(catalog.plans))]
    # Install propensity: only through §8 covariates (tenure measured at T0, the snapshot).
    tenure_t0 = np.maximum(timeline.t0_month - created_month, 0)
    tenure_band_t0 = band(tenure_t0, TENURE_CUTS_MONTHS)
    affinity = np.array(
        [
            [
                cov.install_by_industry_category.get(ind, {}).get(cat, 1.0)
                for cat in catalog.categories
            ]
            for ind in INDUSTRIES
        ]
    )
    base_rate = np.array([params.integration(k).install_rate_per_year for k in catalog.keys])
    acct_mult = (
        np.array([p.install_rate_mult for p in seg_params])[segment]
        * np.array(cov.install_by_size_band)[size_band]
        * np.array(cov.install_by_tenure_band)[tenure_band_t0]
        * np.array([cov.install_by_plan.get(p, 1.0) for p in plan_names])[plan]
    )
    return acct_mult[:, None] * base_rate[None, :] * affinity[industry] / 365.25
