"""Screens of the drafter app."""
