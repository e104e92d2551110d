"""Shared fixtures: the product under test (fakes + app process) and the databases it runs on."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import Stack, start_stack

POSTGRES_ENV = "DIALCAMPAIGN_TEST_POSTGRES"  # e.g. postgresql://postgres@127.0.0.1:5432/postgres (.ci/run sets it)


def postgres_server() -> str | None:
    return os.environ.get(POSTGRES_ENV)


_CREATED: list[str] = []


def new_postgres_database() -> str:
    """A fresh, empty database on the test server; fails (never skips) when the server was promised but is down."""
    import psycopg

    server = postgres_server()
    assert server, f"{POSTGRES_ENV} is not set"
    name = f"dialcampaign_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    _CREATED.append(name)
    return server.rsplit("/", 1)[0] + f"/{name}"


# The longest modules (app processes, restarts, lease and heartbeat waits) first: xdist hands modules out in collection
# order, so the workers then end together instead of one finishing a long module alone. Measured (-n 0), slowest first.
SLOW_FIRST = ["test_e2e_lifecycle", "test_e2e_access", "test_e2e_recovery", "test_e2e_startup", "test_compliance",
              "test_e2e_launch", "test_e2e_numbers", "test_platform", "test_ccc_client", "test_numbers",
              "test_e2e_failures", "test_e2e_confirm", "test_e2e_i18n", "test_config", "test_e2e_dnc",
              "test_e2e_escaping", "test_e2e_sandbox", "test_store_dnc", "test_store", "test_tracking_store",
              "test_recovery"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))  # stable: each module's own order stays


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The databases this run made are dropped again: the shared server does not fill up run after run."""
    server = postgres_server()
    if not server or not _CREATED:
        return
    import psycopg

    with psycopg.connect(server, autocommit=True, connect_timeout=5) as conn:
        for name in _CREATED:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_sessionstart(session: pytest.Session) -> None:
    """When a PostgreSQL server was promised, the run fails at once if it cannot be reached (never skips)."""
    server = postgres_server()
    if not server:
        return
    import psycopg

    try:
        with psycopg.connect(server, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        pytest.exit(f"{POSTGRES_ENV}={server} is set but PostgreSQL cannot be reached: {exc}", returncode=1)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on both backends; PostgreSQL is skipped only where no server was configured."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    if not postgres_server():
        pytest.skip(f"{POSTGRES_ENV} not set (.ci/run sets it and requires the server)")
    return new_postgres_database()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One running product per test module (SQLite), reset between tests."""
    product = start_stack(tmp_path_factory.mktemp("app"))
    yield product
    product.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Stack]:
    """A product of its own, for tests that kill it, break its database or need its in-memory caches cold."""
    product = start_stack(tmp_path)
    yield product
    product.close()


@pytest.fixture
def product(stack: Stack) -> Stack:
    stack.reset()
    return stack
