"""Fixtures for the app tests."""

from __future__ import annotations

import pytest

from .helpers import make


@pytest.fixture
def make_app():
    return make
