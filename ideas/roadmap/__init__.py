"""The public roadmap: what is under review, planned, in progress and recently shipped.

A feature package (selectors, forms, views, urls, feeds); it has no models of
its own and reads the ideas domain and the Ideas in Action stories.
"""
