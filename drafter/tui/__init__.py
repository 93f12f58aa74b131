"""The Textual workspace: inbox, compose, export, profile. Start it with :func:`drafter.tui.app.run`."""
