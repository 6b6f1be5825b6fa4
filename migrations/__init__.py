"""Alembic migrations of the chipwire store (a package so they ship with the wheel)."""
