"""Family mechanics: optional, data-driven behaviour a scenario switches on with one key."""
