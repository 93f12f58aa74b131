"""drafter: ambassadors draft social-media posts in their own voice, checked against brand guidelines.

The package is split into a headless core (briefs, guidelines, checks, channels, authorship, storage)
and shells around it (the CLI in :mod:`drafter.cli`, the Textual TUI in :mod:`drafter.tui`).
The core never imports ``textual`` or any AI library; ``tests/test_architecture.py`` enforces that.
"""

__version__ = "0.1.0"
