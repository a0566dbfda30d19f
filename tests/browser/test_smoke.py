import pytest

from cms.services import home_page_ensure

pytestmark = pytest.mark.browser


def test_home_page_renders_in_chromium(live_server_url, page, screenshot):
    home_page_ensure()

    response = page.goto(live_server_url + "/")

    assert response.status == 200
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Your ideas shape what we build next."
    )
    assert page.get_by_role("link", name="Join and share an idea").is_visible()
    # The stylesheet loaded: the hero is painted, not default white.
    hero_background = page.locator(".hero").evaluate("el => getComputedStyle(el).backgroundImage")
    assert "gradient" in hero_background
    assert screenshot("home").stat().st_size > 10_000


def test_demo_account_signs_in(live_server_url, page):
    from community.demo import DEMO_PASSWORD, demo_accounts_ensure

    home_page_ensure()
    demo_accounts_ensure()

    page.goto(live_server_url + "/accounts/login/")
    page.get_by_label("Email").fill("customer@example.com")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url(live_server_url + "/")
    assert page.get_by_text("Welcome back, Alex Rivera.").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
