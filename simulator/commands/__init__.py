"""Command groups of the parolesim CLI; each module has ``register(subparsers)``."""
