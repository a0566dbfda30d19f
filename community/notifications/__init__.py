"""Notifications: stored rows first, then one live push per batch after commit."""
