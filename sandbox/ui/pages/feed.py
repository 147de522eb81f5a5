"""The feed page; see :mod:`sandbox.ui.feed_view` (kept there so it compiles once)."""
from sandbox.ui.feed_view import render
from sandbox.ui.pages_common import require_member

render(require_member())
