"""Shared fixtures: the product under test (fakes + app process) and the databases it runs on."""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import forks
from tests.bytecode import compile_once

if TYPE_CHECKING:  # the harness is imported by the fixtures that start a product: the xdist controller never needs it
    from tests.harness import Stack

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


def drop_postgres_database(url: str) -> None:
    """Dropped as its test ends, while other workers still run: not all at the end, when nothing else overlaps it."""
    import psycopg

    server, name = postgres_server(), url.rsplit("/", 1)[1]
    assert server
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _CREATED.remove(name)


# How xdist shares the work (`--dist loadgroup`, `--no-loadscope-reorder` in pyproject.toml): the tests of a module
# that share a product (a module-scoped fixture) run together on one worker; every other test is a unit of its own, so
# the long ones (replicas, restarts, lease and heartbeat waits) run beside each other instead of one after another in
# their module. Units go out in this order: the modules that take longest (measured, with -n 6) first, so the workers
# end together instead of one finishing a long module alone; the end-to-end ones, which mostly wait (on leases,
# restarts, Retry-After), alternate with the ones that compute, so that both cores have work from the start.
SLOW_FIRST = ["test_e2e_lifecycle", "test_compliance", "test_e2e_access", "test_numbers", "test_e2e_recovery",
              "test_i18n", "test_e2e_launch", "test_ccc_client", "test_e2e_numbers", "test_window_languages",
              "test_platform", "test_store_dnc", "test_e2e_startup", "test_region_cache", "test_e2e_failures",
              "test_draft", "test_e2e_confirm", "test_lifecycle", "test_config", "test_tracking_store", "test_e2e_i18n",
              "test_recovery", "test_e2e_escaping", "test_e2e_dnc", "test_e2e_sandbox", "test_tenancy", "test_store"]


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))  # stable: each module's own order stays
    for item in items:
        if _shares_its_module(item):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


def _shares_its_module(item: pytest.Item) -> bool:
    """Whether the test uses a fixture that lives longer than itself but not the whole run (each worker has its own
    of those): a module's product, say."""
    fixtures = getattr(item, "_fixtureinfo", None)  # pytest's own record of the fixtures each test resolves to
    if fixtures is None:
        return True  # not a plain test function: kept with its module, as loadscope would
    return any(defs[-1].scope in ("package", "module", "class")
               for defs in fixtures.name2fixturedefs.values() if defs)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The databases this run made and has not dropped yet are dropped: the server does not fill up run after run."""
    server = postgres_server()
    if not server or not _CREATED:
        return
    import psycopg

    with psycopg.connect(server, autocommit=True, connect_timeout=5) as conn:
        for name in _CREATED:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "xdist_group(name): run with the other tests of that name on one worker")
    if not hasattr(config, "workerinput"):  # the xdist controller (or a run without workers), before any worker starts
        forks.start_shared_zygote(config.getoption("numprocesses", None))  # the workers fork their apps from it
        compile_once(config)  # and read the bytecode compiled here, as they start


def pytest_unconfigure(config: pytest.Config) -> None:
    """pytest then collects garbage five times over to hear of unraisable exceptions; after one collection here the
    long-lived heap (the app's modules, the collected tests) is frozen, so those five look only at what is new."""
    gc.collect()
    gc.freeze()


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
    url = new_postgres_database()
    request.addfinalizer(lambda: drop_postgres_database(url))  # after the stacks built on it have closed
    return url


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One running product per test module (SQLite), reset between tests."""
    from tests.harness import start_stack

    product = start_stack(tmp_path_factory.mktemp("app"))
    yield product
    product.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Stack]:
    """A product of its own, for tests that kill it, break its database or need its in-memory caches cold."""
    from tests.harness import start_stack

    product = start_stack(tmp_path)
    yield product
    product.close()


@pytest.fixture
def product(stack: Stack) -> Stack:
    stack.reset()
    return stack
