"""Anonymisation steps: one class per file, one registry."""
