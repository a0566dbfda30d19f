"""The kernel every app stands on: domain errors, HTTP helpers, safe redirects."""
