"""Wagtail's Elasticsearch 8 backend, made to degrade like the site's own search.

Wagtail's admin (page, image, document and snippet search) asks its search
backend directly; with Elasticsearch hung or down that was a 500. This
backend shares the site's circuit breaker: when Elasticsearch fails, or the
breaker is open, a search answers from the database (a case-insensitive
match of every word on the model's text fields) and index updates are
skipped (`manage.py update_index` catches up once Elasticsearch is back).
"""

import logging
from collections import OrderedDict

from django.db import models
from django.db.models import Count, Q
from elasticsearch import ApiError, TransportError
from wagtail.search import index
from wagtail.search.backends.elasticsearch8 import (
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchResults,
)

from search.breaker import breaker

logger = logging.getLogger(__name__)

UNAVAILABLE = (TransportError, ApiError, ConnectionError)
MAX_WORDS = 10


def _query_text(query) -> str:
    if isinstance(query, str):
        return query
    return str(getattr(query, "query_string", "") or "")


def database_search(queryset, query, fields=None):
    """The rows of `queryset` whose text fields contain every word of `query`."""
    model = queryset.model
    searchable = fields or [
        field.field_name
        for field in model.get_search_fields()
        if isinstance(field, index.SearchField | index.AutocompleteField)
    ]
    concrete = {
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and field.concrete
    }
    names = [name for name in dict.fromkeys(searchable) if name in concrete] or (
        ["title"] if "title" in concrete else []
    )
    words = _query_text(query).split()[:MAX_WORDS]
    if not names or not words:
        return queryset.none()
    condition = Q()
    for word in words:
        any_field = Q()
        for name in names:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return queryset.filter(condition)


class ResilientSearchResults(Elasticsearch8SearchResults):
    def _fallback(self):
        compiler = self.query_compiler
        return database_search(compiler.queryset, compiler.query, compiler.fields)

    def _do_search(self):
        if breaker.allows():
            try:
                # The parent's is a generator: the request runs as it is consumed.
                results = list(super()._do_search())
            except UNAVAILABLE as exc:
                breaker.failed(exc)
                logger.warning("Wagtail search: Elasticsearch failed, using the database: %s", exc)
            else:
                breaker.succeeded()
                return results
        return list(self._fallback()[self.start : self.stop])

    def _do_count(self):
        if breaker.allows():
            try:
                count = super()._do_count()
            except UNAVAILABLE as exc:
                breaker.failed(exc)
                logger.warning("Wagtail search: Elasticsearch failed, using the database: %s", exc)
            else:
                breaker.succeeded()
                return count
        count = self._fallback().count() - self.start
        if self.stop is not None:
            count = min(count, self.stop - self.start)
        return max(count, 0)

    def facet(self, field_name):
        if breaker.allows():
            try:
                facets = super().facet(field_name)
            except UNAVAILABLE as exc:
                breaker.failed(exc)
                logger.warning("Wagtail search: Elasticsearch failed, using the database: %s", exc)
            else:
                breaker.succeeded()
                return facets
        rows = (
            self._fallback()
            .order_by()
            .values_list(field_name)
            .annotate(count=Count("pk"))
            .order_by("-count")
        )
        return OrderedDict(rows)


class ResilientElasticsearch8SearchBackend(Elasticsearch8SearchBackend):
    results_class = ResilientSearchResults

    def _guarded(self, method, *args):
        if not breaker.allows():
            logger.info("Wagtail index update skipped: Elasticsearch is failing")
            return None
        try:
            result = method(*args)
        except UNAVAILABLE as exc:
            breaker.failed(exc)
            raise
        breaker.succeeded()
        return result

    def add(self, obj):
        return self._guarded(super().add, obj)

    def add_bulk(self, model, obj_list):
        return self._guarded(super().add_bulk, model, obj_list)

    def delete(self, obj):
        return self._guarded(super().delete, obj)


SearchBackend = ResilientElasticsearch8SearchBackend
