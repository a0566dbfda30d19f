"""German (or neutral) test content, so what is left in English is the site's own."""

import pytest
from django.utils import translation

from cms.models import HomePage
from ideas import services
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user


@pytest.fixture(autouse=True)
def _language_reset():
    """A request in German leaves German active in this thread: start and end in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def german_site(home, session_index, make_session):
    """A community whose own content (ideas, comments, pages) is German or neutral."""
    home = HomePage.objects.get(pk=home.pk)
    home.hero_heading = "Ihre Vorschläge prägen unser Produkt."
    home.hero_text = "Erzählen Sie uns, was besser werden soll."
    home.save_revision().publish()
    session_index.title = "Storm Sessions"
    session_index.save_revision().publish()
    staff = staff_user(display_name="Jonas Weber")
    member = UserFactory(display_name="Anna Schmidt", username="anna")
    notebooks = CategoryFactory(name="Notebooks", slug="notebooks")
    idea = make_idea(
        author=member,
        title="Längere Akkulaufzeit im Energiesparmodus",
        body="Auf Reisen ist der Akku mittags leer. Ein strengerer Sparmodus würde helfen.",
        category=notebooks,
        tags=["akku"],
    )
    other = UserFactory(display_name="Lena Vogel")
    services.vote_cast(voter=other, idea_id=idea.pk, value=1)
    first = services.comment_create(author=other, idea_id=idea.pk, body="Ja, bitte.")
    services.comment_create(author=member, idea_id=idea.pk, body="Danke!", parent_id=first.pk)
    services.comment_create(
        author=staff, idea_id=idea.pk, body="Wir testen das gerade.", official=True
    )
    services.idea_status_change(
        actor=staff, idea_id=idea.pk, to_status="under_review", message="Wir prüfen das."
    )
    shipped = make_idea(title="USB-C-Laden an beiden Kabelenden", category=notebooks)
    for status in ["under_review", "planned", "in_progress", "shipped"]:
        services.idea_status_change(
            actor=staff, idea_id=shipped.pk, to_status=status, message="Weiter geht's."
        )
    session = make_session(title="Akkuwoche", product_area=notebooks)
    session.theme = "Was würde Ihr Notebook den ganzen Tag durchhalten lassen?"
    session.prompt = "<p>Erzählen Sie.</p>"
    session.save_revision().publish()
    make_idea(title="Akkuzustand in der App zeigen", category=notebooks, storm_session=session)
    return {"member": member, "staff": staff, "idea": idea, "session": session}
