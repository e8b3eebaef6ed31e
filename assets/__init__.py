"""Themes and credits made for parolesim, shipped as package data.

Nothing here is code; the file only makes the folder findable through
``importlib.resources`` (see ``engine/resources.py``).
"""
