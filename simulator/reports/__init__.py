"""Debrief renderers: plain text and one self-contained HTML file."""
