"""Errors that commands raise; the CLI turns them into exit codes and plain messages."""


class UsageError(Exception):
    """A command was given the wrong arguments; exits with code 2."""


class CommandError(Exception):
    """A command could not do its work; exits with code 1."""
