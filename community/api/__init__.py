"""The public API (`/api/v1/`): django-ninja over the same services and selectors as the site.

A site-level package: it sits in the top layer with the root URLs and calls
features' and the domain's services and selectors, never a second rule set.
Its own models (personal API tokens) make it a small Django app, label "api".
"""
