"""Django's database sessions, with the read every signed-in request makes compiled
once per process (`community.core.compiled`): SESSION_ENGINE."""

from datetime import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from community.core.compiled import CompiledQuery


def _live_session(session_key: str, now):
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)


_session_read = CompiledQuery(_live_session, str, datetime)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = _session_read.first(self.session_key, timezone.now())
        if session is None:
            self._session_key = None  # as Django's: no such session, or it expired
        return session
