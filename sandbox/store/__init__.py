"""The store: engine and sessions (``engine``), tables (``models``), migrations.

The store knows no feature. Services build on it; the UI never queries it directly.
"""
from sandbox.store.engine import (
    create_schema,
    make_engine,
    read_session,
    write_session,
)

__all__ = ["create_schema", "make_engine", "read_session", "write_session"]
