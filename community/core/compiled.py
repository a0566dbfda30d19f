"""Querysets compiled to SQL once per process, for the reads of every signed-in request.

Django compiles a queryset to SQL each time it runs, and for a query with a few
subqueries that cost more than PostgreSQL's answer (0.85 of 1.2 ms for the member
read with their groups). A `CompiledQuery` builds its queryset once, with
stand-in values, and then runs the same SQL with the real ones as a raw query:
the rows come back as model instances with the annotations as attributes, but
without the fields' decoding (JSON comes as text).
"""

from collections.abc import Callable
from functools import cached_property

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

# Stand-ins for the ids, each a value no table reaches: found again in the compiled
# parameters by value (as often as the query uses it).
_STAND_INS = (2_000_000_011, 2_000_000_013, 2_000_000_017)


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], arity: int = 1):
        """`build(*ids)` returns the queryset for these ids (ints: primary keys)."""
        if arity > len(_STAND_INS):
            raise ImproperlyConfigured(f"A compiled query takes at most {len(_STAND_INS)} ids.")
        self.build, self.arity = build, arity

    @cached_property
    def _compiled(self) -> tuple[QuerySet, str, list]:
        stand_ins = _STAND_INS[: self.arity]
        queryset = self.build(*stand_ins)
        sql, params = queryset.query.sql_with_params()
        for stand_in in stand_ins:
            if stand_in not in params:
                raise ImproperlyConfigured(f"The query does not use each of its ids: {params}")
        return queryset, sql, list(params)

    def first(self, *ids: int):
        """The first row for these ids, as a model instance, or None."""
        queryset, sql, params = self._compiled
        where = dict(zip(_STAND_INS, ids, strict=False))
        values = [where.get(param, param) if isinstance(param, int) else param for param in params]
        return next(iter(queryset.model.objects.raw(sql, values)), None)
