"""Exports of the records: CSV for spreadsheets, JSON for archives, xAPI for an LRS."""
