"""The suite's bytecode, compiled once by the xdist controller while its workers start.

These machines set PYTHONDONTWRITEBYTECODE, so no bytecode is ever cached: every worker would rewrite the asserts of
every test module and compile it (about 1 CPU-second each), and every worker, fork server and cold app start would
compile `bot/` again. Here the controller writes what pytest and Python would have cached without that variable, in
the usual `__pycache__` directories (ignored by git), and the workers only read it. Python checks each file against its
source's mtime and size, so a stale one is never used. The rewrite uses pytest's own functions (private ones: if a
pytest release renames them, this does nothing and the run is only slower).
"""

from __future__ import annotations

import compileall
import re
import threading
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def compile_once(config: pytest.Config) -> None:
    """In the controller of a run that starts workers (a run without them rewrites what it imports, as usual): on a
    thread of its own, while the workers start (about a second before they import a test module), in the order they
    import them. A worker that gets to a module first compiles it itself, as it would have anyway."""
    if not config.getoption("numprocesses", None):
        return
    compiling = threading.Thread(target=_compile, args=(config,), name="bytecode", daemon=True)
    compiling.start()
    config.add_cleanup(compiling.join)


def _compile(config: pytest.Config) -> None:
    compileall.compile_dir(ROOT / "bot", quiet=1)
    compileall.compile_dir(TESTS, quiet=1, rx=_TEST_MODULE)  # the harness and the fakes: imported, never rewritten
    _rewrite(config, [TESTS / "conftest.py", *sorted(TESTS.glob("test_*.py"))])


# compileall's `rx` skips what it matches: the test modules and conftest, rewritten by _rewrite instead.
_TEST_MODULE = re.compile(r"/(test_[^/]*|conftest)\.py$")


def _rewrite(config: pytest.Config, modules: list[Path]) -> None:
    try:
        from _pytest.assertion.rewrite import (
            PYC_TAIL,
            _read_pyc,
            _rewrite_test,
            _write_pyc,
            assertstate_key,
            get_cache_dir,
            try_makedirs,
        )
    except ImportError:
        return
    if assertstate_key not in config.stash:  # --assert=plain: nothing is rewritten
        return
    state = config.stash[assertstate_key]
    for module in modules:
        pyc = get_cache_dir(module) / (module.name[:-3] + PYC_TAIL)
        if _read_pyc(module, pyc, state.trace) is not None or not try_makedirs(pyc.parent):
            continue
        source_stat, code = _rewrite_test(module, config)
        _write_pyc(state, code, source_stat, pyc)
