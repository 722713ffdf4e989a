"""Numbered SQL migrations, applied at start-up by catalogus.db (see the convention there)."""
