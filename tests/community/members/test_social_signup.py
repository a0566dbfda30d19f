"""Social sign-in when the provider's address is not a valid email: no crash, asked again.

allauth's test provider ("dummy", no network) turns provider data into a
social login exactly as GitHub or Google would; the data is handed over as a
provider's API would send it, past the dummy's own form (which would refuse it).
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory

from community.members.adapters import email_addresses_clean
from community.models import User

pytestmark = pytest.mark.django_db


def provider_signs_in(data: dict):
    """What the provider's callback does with the provider's answer; returns (response, session)."""
    request = RequestFactory().get("/accounts/dummy/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    with context.request_context(request):  # what allauth's middleware sets up
        provider = get_adapter().get_provider(request, "dummy")
        login = provider.sociallogin_from_response(request, data)
        login.state = {"process": "login"}
        response = complete_social_login(request, login)
    request.session.save()
    return response, request.session


@pytest.mark.parametrize("bad", ["alex@@example.com", "not an email", "alex@", "<script>@x"])
def test_an_invalid_provider_email_asks_the_member_for_one(bad):
    response, session = provider_signs_in({"id": 41, "email": bad, "email_verified": True})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/signup/"
    assert not User.objects.exists()
    assert not EmailAddress.objects.filter(email=bad).exists()

    client = Client()
    client.cookies["sessionid"] = session.session_key
    form = client.get("/accounts/3rdparty/signup/")
    assert form.status_code == 200
    assert 'name="email"' in form.content.decode()
    assert bad not in form.content.decode()

    refused = client.post("/accounts/3rdparty/signup/", {"email": "still wrong"})
    assert refused.status_code == 200 and not User.objects.exists()  # a message, not a 500

    done = client.post("/accounts/3rdparty/signup/", {"email": "alex@example.com"})
    assert done.status_code == 302
    member = User.objects.get()
    assert member.email == "alex@example.com"
    assert set(EmailAddress.objects.values_list("email", flat=True)) == {"alex@example.com"}
    assert SocialAccount.objects.get().user == member


def test_a_valid_provider_email_signs_up_at_once():
    response, _ = provider_signs_in({"id": 42, "email": "sam@example.com", "email_verified": True})

    assert response.status_code == 302
    assert response["Location"] != "/accounts/3rdparty/signup/"
    assert User.objects.get().email == "sam@example.com"


def test_cleaning_keeps_valid_addresses_and_drops_the_rest():
    from allauth.socialaccount.models import SocialLogin

    login = SocialLogin(
        user=User(email="bad@@x"),
        email_addresses=[EmailAddress(email="bad@@x"), EmailAddress(email="ok@example.com")],
    )
    assert email_addresses_clean(login) is True
    assert [a.email for a in login.email_addresses] == ["ok@example.com"]
    assert login.user.email == ""
