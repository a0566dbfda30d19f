"""Measured listening: customers rate how well they were heard, and the public report.

A feature package with every layer (models, services, selectors, forms, views,
urls, template tags). Its models belong to the "ideas" app (imported from
ideas/models.py). It sits below triage, which reads its figures and ratings.
"""
