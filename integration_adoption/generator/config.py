"""Run options and every simulation parameter (all of them land in ground_truth.json)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

# Accounts are simulated in fixed blocks, each with its own random streams, so the data
# do not depend on --chunk-accounts (a chunk is a whole number of blocks).
BLOCK_ACCOUNTS = 250

SEGMENTS = ("smb", "mid_market", "enterprise")
INDUSTRIES = (
    "software",
    "fintech",
    "healthcare",
    "retail",
    "manufacturing",
    "education",
    "media",
    "logistics",
    "professional_services",
)
# country -> UTC offset (minutes) the actions service stamps its events with.
COUNTRIES = {
    "US": -300,
    "GB": 60,
    "DE": 120,
    "FR": 120,
    "NL": 120,
    "CA": -240,
    "AU": 600,
    "IN": 330,
    "JP": 540,
    "BR": -180,
}
COUNTRY_SHARES = (0.38, 0.1, 0.1, 0.07, 0.05, 0.07, 0.06, 0.07, 0.05, 0.05)
# §8 covariate cut points: the only channels of confounding.
SIZE_CUTS = (50, 250, 1000)
TENURE_CUTS_MONTHS = (6, 12, 24)


@dataclass(frozen=True)
class RunConfig:
    out: Path
    seed: int
    start_date: dt.date
    end_date: dt.date
    accounts: int
    messy: bool = False
    chunk_accounts: int = 1000
    workers: int = 1
    quiet: bool = False
    seeds_dir: Path | None = None
    shape: str = "deep"

    @property
    def n_days(self) -> int:
        return (self.end_date - self.start_date).days + 1


@dataclass(frozen=True)
class SegmentParams:
    share: float
    employees_median: float
    employees_sigma: float
    employees_min: int
    employees_max: int
    plan_probs: dict[str, float]
    base_monthly_churn: float
    install_rate_mult: float
    daily_runs_mean: float  # syncs per day of a daily integration
    burst_prob: float  # chance of a burst of actions on a given day (situational)
    volume_scale: float  # scales records, bytes and api calls
    life_mult: float  # scales connection active-spell length
    config_changes_per_year: float
    feature_mean: float  # mean of each sophistication count at setup
    bidirectional_share: float


@dataclass(frozen=True)
class IntegrationParams:
    install_rate_per_year: float
    p_activate: float  # activates at all (ever)
    same_day_share: float  # of activators: first work on the install date
    delay_scale_days: float  # others: delay = 1 + floor(Exponential(scale)) days
    p_setup_if_activated: float
    p_setup_if_not: float
    life_mean_days: float  # mean active-spell length
    p_uninstall_after_spell: float
    p_resurrect: float
    resurrect_gap_mean_days: float  # on top of the active window
    failure_episodes_per_year: float
    failure_days_mean: float
    p_fix: float
    p_uninstall_never_activated: float
    p_reinstall: float
    beta: float  # true log hazard ratio of churn while an active connection exists


def _ip(rate: float, p_act: float, beta: float, **kw: Any) -> IntegrationParams:
    base: dict[str, Any] = {
        "install_rate_per_year": rate,
        "p_activate": p_act,
        "same_day_share": 0.45,
        "delay_scale_days": 8.0,
        "p_setup_if_activated": 0.93,
        "p_setup_if_not": 0.35,
        "life_mean_days": 260.0,
        "p_uninstall_after_spell": 0.35,
        "p_resurrect": 0.4,
        "resurrect_gap_mean_days": 40.0,
        "failure_episodes_per_year": 2.0,
        "failure_days_mean": 6.0,
        "p_fix": 0.7,
        "p_uninstall_never_activated": 0.45,
        "p_reinstall": 0.3,
        "beta": beta,
    }
    base.update(kw)
    return IntegrationParams(**base)


INTEGRATION_PARAMS: dict[str, IntegrationParams] = {
    "salesforce": _ip(0.30, 0.72, -0.70, life_mean_days=420.0, delay_scale_days=10.0),
    "hubspot": _ip(0.22, 0.75, -0.45, life_mean_days=360.0),
    "snowflake": _ip(0.12, 0.66, -0.30, delay_scale_days=12.0, failure_episodes_per_year=3.0),
    "bigquery": _ip(0.10, 0.64, 0.0, delay_scale_days=12.0, failure_episodes_per_year=3.0),
    "segment": _ip(0.10, 0.70, 0.0),
    "mailchimp": _ip(0.16, 0.78, -0.15, life_mean_days=200.0),
    "marketo": _ip(0.07, 0.55, 0.0, delay_scale_days=14.0),
    "zendesk": _ip(0.18, 0.70, -0.40, life_mean_days=330.0),
    "intercom": _ip(0.14, 0.68, 0.0),
    "slack": _ip(0.40, 0.85, -0.20, same_day_share=0.7, delay_scale_days=4.0),
    "microsoft_teams": _ip(0.18, 0.80, 0.0, same_day_share=0.65, delay_scale_days=5.0),
    "google_analytics": _ip(0.22, 0.62, 0.0, life_mean_days=180.0),
    "looker": _ip(0.07, 0.50, -0.30, delay_scale_days=15.0, life_mean_days=300.0),
    "google_drive": _ip(0.20, 0.60, 0.0, life_mean_days=150.0, p_resurrect=0.5),
    # Delivered only by the partner's webhooks (partner.py); beta 0: see partner.py.
    "pipedrive": _ip(0.15, 0.68, 0.0, delay_scale_days=9.0, life_mean_days=300.0),
}
# Used for catalog rows without an entry above (a new integration still gets simulated).
DEFAULT_INTEGRATION = _ip(0.10, 0.65, 0.0)

SEGMENT_PARAMS: dict[str, SegmentParams] = {
    "smb": SegmentParams(
        share=0.6,
        employees_median=18,
        employees_sigma=0.9,
        employees_min=1,
        employees_max=600,
        plan_probs={"starter": 0.6, "growth": 0.33, "business": 0.07, "enterprise": 0.0},
        base_monthly_churn=0.024,
        install_rate_mult=0.6,
        daily_runs_mean=2.0,
        burst_prob=0.2,
        volume_scale=1.0,
        life_mult=0.8,
        config_changes_per_year=1.0,
        feature_mean=0.4,
        bidirectional_share=0.15,
    ),
    "mid_market": SegmentParams(
        share=0.3,
        employees_median=280,
        employees_sigma=0.7,
        employees_min=30,
        employees_max=4000,
        plan_probs={"starter": 0.05, "growth": 0.5, "business": 0.4, "enterprise": 0.05},
        base_monthly_churn=0.014,
        install_rate_mult=1.0,
        daily_runs_mean=3.5,
        burst_prob=0.3,
        volume_scale=4.0,
        life_mult=1.0,
        config_changes_per_year=2.0,
        feature_mean=1.0,
        bidirectional_share=0.35,
    ),
    "enterprise": SegmentParams(
        share=0.1,
        employees_median=3000,
        employees_sigma=0.9,
        employees_min=300,
        employees_max=150000,
        plan_probs={"starter": 0.0, "growth": 0.05, "business": 0.35, "enterprise": 0.6},
        base_monthly_churn=0.008,
        install_rate_mult=1.5,
        daily_runs_mean=6.0,
        burst_prob=0.45,
        volume_scale=20.0,
        life_mult=1.3,
        config_changes_per_year=4.0,
        feature_mean=2.0,
        bidirectional_share=0.6,
    ),
}


@dataclass(frozen=True)
class CovariateEffects:
    """Multipliers by §8 band; index = band number (left-closed cuts above)."""

    install_by_size_band: tuple[float, ...] = (0.8, 1.0, 1.2, 1.4)
    install_by_tenure_band: tuple[float, ...] = (0.8, 1.0, 1.15, 1.3)
    install_by_plan: dict[str, float] = field(
        default_factory=lambda: {
            "starter": 0.75,
            "growth": 1.0,
            "business": 1.2,
            "enterprise": 1.35,
        }
    )
    # industry x category affinity for installs (default 1.0)
    install_by_industry_category: dict[str, dict[str, float]] = field(
        default_factory=lambda: {
            "retail": {"marketing": 1.6, "cdp": 1.4},
            "software": {"data_warehouse": 1.4, "messaging": 1.2},
            "fintech": {"data_warehouse": 1.5, "crm": 1.2},
            "healthcare": {"support": 1.4, "messaging": 0.8},
            "media": {"analytics": 1.5, "marketing": 1.3},
            "professional_services": {"crm": 1.3, "file_storage": 1.4},
        }
    )
    churn_by_size_band: tuple[float, ...] = (1.3, 1.0, 0.8, 0.6)
    churn_by_tenure_band: tuple[float, ...] = (1.6, 1.25, 1.0, 0.8)
    churn_by_plan: dict[str, float] = field(
        default_factory=lambda: {"starter": 1.2, "growth": 1.0, "business": 0.9, "enterprise": 0.8}
    )
    churn_by_industry: dict[str, float] = field(
        default_factory=lambda: {"retail": 1.2, "education": 1.15, "fintech": 0.9}
    )


@dataclass(frozen=True)
class BillingParams:
    plan_base_mrr: dict[str, float] = field(
        default_factory=lambda: {
            "starter": 99.0,
            "growth": 499.0,
            "business": 1999.0,
            "enterprise": 7999.0,
        }
    )
    mrr_sigma: float = 0.3
    p_expansion: float = 0.05
    expansion_range: tuple[float, float] = (1.05, 1.4)
    p_contraction: float = 0.03
    contraction_range: tuple[float, float] = (0.65, 0.95)
    share_churned_with_zero_rows: float = 0.3  # the rest simply stop having rows
    max_tenure_years_at_start: float = 5.0
    share_created_before_start: float = 0.7


@dataclass(frozen=True)
class EventParams:
    load_delay_minutes_mean: float = 4.0
    share_manual_sync: float = 0.08
    share_manual_action: float = 0.35
    weekly_run_prob: float = 0.95
    extra_manual_runs_per_day: float = 0.03
    burst_size_mean: float = 3.0
    p_auth_episode: float = 0.35
    p_failures_if_never_activated: float = 0.3
    # share of connections (with another event on the install date) whose install event is
    # missing (install inferred downstream) or stamped after their first other event
    p_missing_install: float = 0.03
    p_install_clock_skew: float = 0.02
    users_per_100_employees: float = 2.0


@dataclass(frozen=True)
class MessyParams:
    """Rates per clean event row, drawn per block (exact counts land in ground truth)."""

    exact_duplicate: float = 0.004
    conflicting_duplicate: float = 0.001
    unknown_event_name: float = 0.0005
    null_key: float = 0.0005
    unparseable_timestamp: float = 0.0005
    future_timestamp: float = 0.0005
    negative_count: float = 0.0005
    invalid_json: float = 0.0005
    unknown_integration: float = 0.0005
    late: float = 0.003
    late_days_range: tuple[float, float] = (2.0, 12.0)
    share_accounts_missing: float = 0.01


@dataclass(frozen=True)
class Params:
    segments: dict[str, SegmentParams] = field(default_factory=lambda: dict(SEGMENT_PARAMS))
    integrations: dict[str, IntegrationParams] = field(
        default_factory=lambda: dict(INTEGRATION_PARAMS)
    )
    default_integration: IntegrationParams = DEFAULT_INTEGRATION
    covariates: CovariateEffects = field(default_factory=CovariateEffects)
    billing: BillingParams = field(default_factory=BillingParams)
    events: EventParams = field(default_factory=EventParams)
    messy: MessyParams = field(default_factory=MessyParams)
    impact_horizon_months: int = 12

    def integration(self, key: str) -> IntegrationParams:
        return self.integrations.get(key, self.default_integration)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Shape:
    """How the data are spread: `deep` (the default: about 820 events an account over
    two years) or `wide` (many more, lighter accounts). A shape only scales parameters
    above; every distribution, and so every true quantity in ground_truth.json, is
    still computed from the scaled parameters."""

    name: str
    install_rate_scale: float  # every integration's install_rate_per_year (partner's too)
    run_rate_scale: float  # every segment's daily_runs_mean and burst_prob
    summary: str


SHAPES: dict[str, Shape] = {
    "deep": Shape("deep", 1.0, 1.0, "the parameters above as they are"),
    "wide": Shape(
        "wide",
        install_rate_scale=0.5,
        run_rate_scale=0.12,
        summary=(
            "about 45 events and 1.4 connections an account over 18 months: every "
            "integration's install_rate_per_year and every segment's daily_runs_mean "
            "and burst_prob scaled (the same distributions; connections still live, "
            "fail and churn as in deep)"
        ),
    ),
}


def shaped_params(shape: str, base: Params | None = None) -> Params:
    """`base` (default Params()) with the shape's scales applied; deep returns it as is."""
    params = base or Params()
    scales = SHAPES[shape]
    if scales.name == "deep":
        return params

    def installs(ip: IntegrationParams) -> IntegrationParams:
        rate = ip.install_rate_per_year * scales.install_rate_scale
        return replace(ip, install_rate_per_year=rate)

    def runs(sp: SegmentParams) -> SegmentParams:
        return replace(
            sp,
            daily_runs_mean=sp.daily_runs_mean * scales.run_rate_scale,
            burst_prob=sp.burst_prob * scales.run_rate_scale,
        )

    return replace(
        params,
        integrations={key: installs(ip) for key, ip in params.integrations.items()},
        default_integration=installs(params.default_integration),
        segments={key: runs(sp) for key, sp in params.segments.items()},
    )
