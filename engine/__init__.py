"""Headless scenario engine: load, validate, lint and compile scenarios; run and replay sessions."""
