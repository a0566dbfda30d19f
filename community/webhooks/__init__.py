"""Webhooks: endpoints administrators register, signed deliveries (Standard
Webhooks) sent by the worker after commit, retries, and a delivery log."""
