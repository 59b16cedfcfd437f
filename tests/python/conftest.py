"""Small generator runs shared by the tests (session-scoped: each is generated once)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from integration_adoption.generator.config import RunConfig
from integration_adoption.generator.run import generate

START, END = dt.date(2024, 1, 1), dt.date(2025, 6, 30)


def run(out: Path, accounts: int, chunk: int, workers: int = 1, messy: bool = False) -> Path:
    generate(
        RunConfig(
            out=out,
            seed=7,
            start_date=START,
            end_date=END,
            accounts=accounts,
            messy=messy,
            chunk_accounts=chunk,
            workers=workers,
            quiet=True,
        )
    )
    return out


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run(tmp_path_factory.mktemp("clean"), accounts=1500, chunk=500)


@pytest.fixture(scope="session")
def messy_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run(tmp_path_factory.mktemp("messy"), accounts=600, chunk=250, workers=2, messy=True)
