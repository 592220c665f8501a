"""Subcommands of ``zhifa`` contributed by this app (see zhifa.cli.EXTENSIONS)."""


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
