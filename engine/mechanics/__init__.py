"""Family mechanics: optional, data-driven behaviour a scenario switches on with one key.

Each derives state and facts deterministically, so sessions still replay exactly.
"""
