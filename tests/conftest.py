from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def seed_names() -> list[str]:
    return sorted(p.stem for p in (FIXTURES / "input" / "seeds").glob("*.txt"))
