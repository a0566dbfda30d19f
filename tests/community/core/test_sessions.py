"""Sessions are read through a compiled query (`community.core.sessions`) and behave
as Django's database sessions do."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in_client():
    member = UserFactory(display_name="Sam Session")
    client = Client()
    client.force_login(member)
    return client


def test_a_signed_in_member_stays_signed_in():
    client = signed_in_client()

    assert 'title="Sam Session"' in client.get("/ideas/").content.decode()
    assert 'title="Sam Session"' in client.get("/ideas/?sort=new").content.decode()


def test_an_expired_session_is_a_visitor_again():
    client = signed_in_client()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))

    html = client.get("/ideas/").content.decode()

    assert "Sign in" in html and "Sam Session" not in html


def test_an_unknown_session_key_is_a_visitor():
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-0123456789"

    html = client.get("/ideas/").content.decode()

    assert "Sign in" in html
