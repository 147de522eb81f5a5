"""Alembic migrations of the sandbox store (a package so that it installs)."""
