"""Pytest fixtures for the real servers; register once with ``pytest_plugins = ["servers.fixtures"]``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .virtuoso import Virtuoso, running_virtuoso, virtuoso_available

__all__ = ["virtuoso"]


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Yield one private Virtuoso for the whole session, or skip saying how to install it."""
    reason = virtuoso_available()
    if reason is not None:
        pytest.skip(reason)
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
