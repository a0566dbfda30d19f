"""Every page speaks the reader's language: German is complete, Arabic is right to left.

The coverage check renders each public page type in German, with German (or
neutral) ideas, comments and pages, and looks for common English words in the
page's <main>: any one found is a string someone forgot to mark or to translate.
"Status" and "Roadmap" are not on the list: German uses the same words.
"""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

ENGLISH_WORDS = [
    "Share", "Vote", "Votes", "Comments", "Comment", "Search", "Sign in", "Sign up",
    "Promote", "Demote", "Supporters", "supporter", "Follow", "Reply", "Ideas", "idea",
    "Shipped", "Save", "Email", "Password", "Browse", "Trending", "Open", "Closed",
    "Listening", "answered", "Next", "Previous", "Page", "the", "and", "you",
    "your", "with", "of", "to", "is", "are", "by", "from", "at", "for", "ago", "minutes",
]  # fmt: skip
WORD = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH_WORDS) + r")\b")


# Notification texts are stored when they are sent, in the site's default
# language (ideas/events.py); translating them needs their parts stored instead.
STORED_TEXT = re.compile(
    r'<button[^>]*class="[^"]*notification__open[^"]*"[^>]*>.*?</button>', re.S
)


def main_text(response) -> str:
    """The visible text of the page's <main>, without scripts, styles or tags."""
    page = STORED_TEXT.sub(" ", response.content.decode())
    match = re.search(r"<main\b[^>]*>(.*)</main>", page, re.S)
    assert match, "the page has no <main>"
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", match.group(1), flags=re.S)
    content = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"\s+", " ", html.unescape(content))


def english_left(text: str) -> list[str]:
    return sorted({match.group(0) for match in WORD.finditer(text)})


PUBLIC_PAGES = {
    "home": lambda site: "/",
    "idea list": lambda site: reverse("ideas:list"),
    "idea page": lambda site: site["idea"].get_absolute_url(),
    "shipped": lambda site: reverse("ideas:shipped"),
    "search": lambda site: reverse("search:search") + "?q=Akku",
    "search, nothing found": lambda site: reverse("search:search") + "?q=Zzzyx",
    "storm session": lambda site: site["session"].url,
    "storm sessions": lambda site: "/storm-sessions/",
    "roadmap": lambda site: reverse("roadmap:board"),
    "listening": lambda site: reverse("listening:report"),
    "profile": lambda site: reverse("member_detail", args=[site["member"].username]),
    "sign in": lambda site: reverse("account_login"),
    "sign up": lambda site: reverse("account_signup"),
}
MEMBER_PAGES = {
    "new idea form": lambda site: reverse("ideas:create"),
    "idea page, signed in": lambda site: site["idea"].get_absolute_url(),
    "notification preferences": lambda site: reverse("notification_preferences"),
    "notifications": lambda site: reverse("notification_list"),
    "profile form": lambda site: reverse("profile_edit"),
    "my activity": lambda site: reverse("member_activity"),
    "home, signed in": lambda site: "/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*PUBLIC_PAGES, *MEMBER_PAGES])
def test_german_pages_have_no_english_left(german_site, name):
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    if name in MEMBER_PAGES:
        client.force_login(german_site["member"])
    path = {**PUBLIC_PAGES, **MEMBER_PAGES}[name](german_site)
    response = client.get(path)
    assert response.status_code == 200, path
    assert '<html lang="de" dir="ltr">' in response.content.decode()
    text = main_text(response)
    assert english_left(text) == [], f"{name} ({path}) in German still says: {text[:3000]}"


@pytest.mark.django_db
def test_accept_language_chooses_the_language_and_english_is_the_default(home):
    assert '<html lang="en" dir="ltr">' in Client().get("/").content.decode()
    german = Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5").get("/")
    assert '<html lang="de" dir="ltr">' in german.content.decode()
    assert "Zum Inhalt springen" in german.content.decode()
    unknown = Client(HTTP_ACCEPT_LANGUAGE="ja").get("/")
    assert '<html lang="en" dir="ltr">' in unknown.content.decode()


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left(home):
    response = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.django_db
def test_the_switcher_posts_to_set_language_with_csrf_and_the_choice_sticks(home):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/ideas/").content.decode()
    form = re.search(r'<form class="language-switcher".*?</form>', page, re.S).group(0)
    assert f'action="{reverse("set_language")}"' in form
    assert 'name="next" value="/ideas/"' in form
    assert '<option value="de" lang="de">Deutsch</option>' in form
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    refused = Client(enforce_csrf_checks=True).post(
        reverse("set_language"), {"language": "de", "next": "/ideas/"}
    )
    assert refused.status_code == 403
    response = client.post(
        reverse("set_language"),
        {"language": "de", "next": "/ideas/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response["Location"] == "/ideas/"
    # The cookie outranks the browser's Accept-Language from now on.
    again = client.get("/ideas/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de"' in again
    assert "Ideen filtern" in again


@pytest.mark.django_db
def test_the_javascript_catalogue_is_a_script_file_in_the_language(home):
    page = Client(HTTP_ACCEPT_LANGUAGE="de").get("/").content.decode()
    assert f'<script src="{reverse("javascript-catalog")}"></script>' in page
    catalog = Client(HTTP_ACCEPT_LANGUAGE="de").get(reverse("javascript-catalog"))
    assert catalog["Content-Type"].startswith("text/javascript")
    body = catalog.content.decode()
    assert "Neuer Kommentar von %(author)s." in body
    assert "Verbindung wird wiederhergestellt" in body


@pytest.mark.django_db
def test_dates_numbers_and_relative_times_follow_the_language(german_site):
    from django.contrib.humanize.templatetags.humanize import intcomma, naturaltime
    from django.utils import timezone
    from django.utils.formats import date_format

    with translation.override("de"):
        assert intcomma(1234567) == "1.234.567"
        assert date_format(timezone.datetime(2026, 3, 5), "j F Y") == "5 März 2026"
        assert "vor" in naturaltime(timezone.now() - timezone.timedelta(minutes=5))
    page = Client(HTTP_ACCEPT_LANGUAGE="de").get(german_site["idea"].get_absolute_url())
    assert "vor" in main_text(page) or "jetzt" in main_text(page)


@pytest.mark.django_db
def test_domain_errors_and_choices_are_translated():
    from community.core.exceptions import MemberNotFound
    from ideas.choices import Status

    with translation.override("de"):
        assert str(Status.SHIPPED.label) == "Umgesetzt"
        assert str(MemberNotFound()) == "Dieses Mitglied gibt es nicht."
    assert str(MemberNotFound()) == "That member does not exist."


@pytest.mark.django_db
def test_cached_idea_cards_are_kept_per_language(german_site):
    """The idea card fragment is cached for every viewer: one copy per language."""
    german = main_text(Client(HTTP_ACCEPT_LANGUAGE="de").get(reverse("ideas:list")))
    english = main_text(Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("ideas:list")))
    assert "3 Kommentare" in german
    assert "3 comments" in english and "Kommentare" not in english
