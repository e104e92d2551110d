"""Time rules the whole domain shares (the domain never reads the clock: `now` is always passed in)."""

from __future__ import annotations

from datetime import timedelta

# A start this recent is still "now": the window parser accepts it, and a preview confirmed within it may launch.
GRACE = timedelta(seconds=60)
