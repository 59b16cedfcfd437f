"""Governance checks over dbt's artifacts: PII policy, contracts, secrets."""
