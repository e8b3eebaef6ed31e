"""Family mechanics: optional, data-configured behaviour a scenario can switch on."""
