"""Numbered SQL migrations, applied at start-up by catalogus.casework.db (see the convention there)."""
