"""Family mechanics that need more than data: each derives state and facts deterministically."""
