"""Search against the real Elasticsearch that `make test` starts."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import roles
from community.moderation import services as moderation
from ideas import services
from ideas.models import Idea
from search import api, indexing, queries
from search.client import get_client
from search.documents import IdeaDocument
from search.models import PendingIndexUpdate
from search.results import SearchRequest
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def refresh() -> None:
    """Make just-written documents searchable now rather than within a second."""
    get_client().indices.refresh(index=indexing.alias_name())


def search(query: str = "", **filters):
    return api.search_ideas(SearchRequest(query=query, **filters))


def test_a_title_match_beats_a_body_match_and_a_typo_still_finds_it(search_index):
    in_title = make_idea(title="Quieter keyboard for typing at night", body="Less clatter.")
    make_idea(
        title="Brighter screens for sunny days", body="The keyboard is fine, the screen is not."
    )
    make_idea(title="Longer warranty on batteries", body="Two years would be fair.")
    search_index()

    results = search("keyboard")
    assert titles(results)[0] == in_title.title
    assert results.total == 2
    assert results.backend == "elasticsearch"

    typo = search("keybaord")
    assert titles(typo)[0] == in_title.title
    assert "<mark>keyboard</mark>" in typo.hits[0].title_html


def test_few_results_are_widened_by_typo_tolerance_and_its_words_marked(search_index):
    make_idea(title="Zirconium hinges for the lid")
    make_idea(title="Zirconia coating for the lid")
    search_index()

    results = search("zirconium")

    assert titles(results) == ["Zirconium hinges for the lid", "Zirconia coating for the lid"]
    assert [hit.title_html.split()[0] for hit in results.hits] == [
        "<mark>Zirconium</mark>",
        "<mark>Zirconia</mark>",
    ]


def test_a_query_that_finds_a_page_as_typed_is_not_widened_by_fuzzy_neighbours(search_index):
    # A member each: one member may post only a few ideas an hour.
    for n in range(queries.FUZZY_BELOW):
        make_idea(title=f"Brighter screen number {n}")
    make_idea(title="Stronger screws for the stand")
    search_index()

    results = search("screen")

    assert results.total == queries.FUZZY_BELOW
    assert "Stronger screws for the stand" not in titles(results)


def test_other_endings_of_a_word_are_found_without_a_stemmer(search_index, settings):
    settings.SEARCH_HUNSPELL = False
    # A member each: one member may post only a few ideas an hour.
    for n in range(queries.FUZZY_BELOW):
        make_idea(title=f"Laptop stand number {n}")
    plural = make_idea(title="Two laptops on one desk")
    search_index()

    results = search("laptop", sort="newest")

    assert results.total == queries.FUZZY_BELOW + 1
    assert titles(results)[0] == plural.title
    assert results.hits[0].title_html == "Two <mark>laptops</mark> on one desk"


def test_words_that_carry_no_meaning_neither_make_a_match_nor_empty_a_query(search_index):
    wanted = make_idea(title="Dark mode for the app")
    make_idea(title="Offline maps for the app")
    only_small_words = make_idea(title="What would you do")
    search_index()

    assert titles(search("dark mode for the app")) == [wanted.title]
    assert titles(search("what would you")) == [only_small_words.title]


def test_a_misspelt_word_is_forgiven_even_when_the_other_words_find_many(search_index):
    # A member each: one member may post only a few ideas an hour.
    for n in range(queries.FUZZY_BELOW):
        make_idea(title=f"Laptop stand idea {n}")
    wanted = make_idea(title="Laptop stand with a charger drawer", body="The charger hides.")
    search_index()

    results = search("laptop stand chargr")

    assert titles(results)[0] == wanted.title
    assert "<mark>charger</mark>" in results.hits[0].title_html


def test_english_stemming_matches_other_word_forms(search_index):
    idea = make_idea(title="Charging cables that last longer")
    search_index()

    assert titles(search("charge cable")) == [idea.title]


def test_facets_count_and_filters_narrow(search_index):
    laptops = CategoryFactory(name="Laptops", slug="laptops")
    monitors = CategoryFactory(name="Monitors", slug="monitors")
    staff = staff_user()
    for n in range(3):
        make_idea(title=f"Laptop battery idea number {n}", category=laptops, tags=["battery"])
    planned = make_idea(title="Monitor battery backup idea", category=monitors)
    services.idea_status_change(
        actor=staff, idea_id=planned.pk, to_status="under_review", message="Looking"
    )
    search_index()

    results = search("battery")
    categories = {f.value: f.count for f in results.facets["category"]}
    statuses = {f.value: f.count for f in results.facets["status"]}
    assert categories == {"laptops": 3, "monitors": 1}
    assert statuses == {"new": 3, "under_review": 1}
    assert {f.value: f.count for f in results.facets["tag"]} == {"battery": 3}
    assert results.facets["category"][0].label == "Laptops"

    assert titles(search("battery", category="monitors")) == [planned.title]
    assert titles(search("battery", status="under_review")) == [planned.title]
    assert search("battery", tag="battery").total == 3


def test_date_range_filter(search_index):
    old = make_idea(title="An idea from long ago", now=timezone.now() - timedelta(days=90))
    new = make_idea(title="An idea from this week")
    search_index()

    week_ago = date.today() - timedelta(days=7)
    assert titles(search("idea", created_from=week_ago)) == [new.title]
    assert titles(search("idea", created_to=week_ago)) == [old.title]


def test_highlights_are_escaped(search_index):
    make_idea(
        title="Keyboard names with <script>alert(1)</script> in them",
        body='Try <img src=x onerror="alert(2)"> keyboard',
    )
    search_index()

    hit = search("keyboard").hits[0]
    assert "<mark>Keyboard</mark>" in hit.title_html
    assert "&lt;script&gt;" in hit.title_html and "<script>" not in hit.title_html
    assert "<img" not in hit.fragment_html and "<mark>keyboard</mark>" in hit.fragment_html


def test_hidden_withdrawn_and_merged_ideas_never_reach_customers(search_index):
    # An established member: new accounts may post only a few ideas an hour.
    author = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    visible = make_idea(title="Visible monitor stand idea", author=author)
    hidden = make_idea(title="Hidden monitor stand idea", author=author)
    withdrawn = make_idea(title="Withdrawn monitor stand idea", author=author)
    merged = make_idea(title="Merged monitor stand idea", author=author)
    Idea.objects.filter(pk=hidden.pk).update(visibility="hidden")
    services.idea_withdraw(author=author, idea_id=withdrawn.pk)
    services.idea_merge(
        actor=staff_user(roles.PRODUCT_MANAGER), duplicate_id=merged.pk, into_id=visible.pk
    )
    search_index()

    assert titles(search("monitor stand")) == [visible.title]
    assert [h.title for h in api.similar_ideas("monitor stand idea")] == [visible.title]
    staff_view = search("monitor stand", include_hidden=True)
    assert staff_view.total == 4


def test_did_you_mean_when_results_are_few(search_index):
    make_idea(title="Backlit keyboard please")
    search_index()

    results = search("keybored backlight")
    assert results.suggestion is not None and "keyboard" in results.suggestion


@pytest.mark.parametrize(
    "query",
    ['title:(foo OR "bar', "a && b || !c ^2 ~ * ? / \\", "x" * 5000, "Café ☕ 東京 🚀", "   ", "-"],
)
def test_awkward_queries_never_fail(client, search_index, query):
    make_idea(title="Café near the Tokyo office")
    search_index()

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert response.context["results"].backend == "elasticsearch"


def test_search_page_and_htmx_partial(client, search_index):
    make_idea(title="Matte screens on every laptop")
    search_index()

    page = client.get("/search/", {"q": "matte"})
    partial = client.get("/search/", {"q": "matte"}, HTTP_HX_REQUEST="true")

    assert "<mark>Matte</mark> screens" in page.content.decode()
    assert "<html" in page.content.decode() and "<html" not in partial.content.decode()
    assert "1 idea found" in partial.content.decode()


def test_similar_ideas_while_typing_a_title(client, search_index):
    existing = make_idea(title="Dark mode for the companion app", tags=["app"])
    make_idea(title="Faster shipping to Europe")
    search_index()

    response = client.get("/search/similar/", {"title": "Please add a dark mode to the app"})

    body = response.content.decode()
    assert existing.get_absolute_url() in body
    assert "Faster shipping" not in body


def test_idea_page_shows_related_ideas(client, search_index):
    idea = make_idea(title="USB-C charging for the monitor", tags=["usb-c"])
    related = make_idea(title="USB-C hub built into the monitor", tags=["usb-c"])
    search_index()

    response = client.get(idea.get_absolute_url())

    assert [hit.title for hit in response.context["related"]] == [related.title]


def test_mapping_holds_no_private_data():
    fields = set(IdeaDocument._doc_type.mapping.to_dict()["properties"])

    assert fields == {
        "title", "body", "tags", "tags_text", "category", "category_name", "status",
        "visibility", "author_name", "official_response", "score", "merit", "supporters",
        "comment_count", "storm_session", "audience_group", "created_at", "last_activity_at",
        "url",
    }  # fmt: skip


def test_writes_queue_an_update_that_reaches_the_index_after_commit(search_index, run_tasks):
    search_index()
    idea = make_idea(title="Idea indexed by the outbox")
    run_tasks()  # the sync task was queued with the write
    refresh()

    assert titles(search("outbox")) == [idea.title]
    services.comment_create(
        author=staff_user(), idea_id=idea.pk, body="We shipped the firmware", official=True
    )
    run_tasks()
    refresh()
    assert titles(search("firmware")) == [idea.title]
    assert not PendingIndexUpdate.objects.exists()


def test_reconcile_repairs_a_stale_index(search_index):
    idea = make_idea(title="Original indexed title")
    search_index()
    Idea.objects.filter(pk=idea.pk).update(
        title="Changed behind the index's back", promotes=42, score=42
    )

    assert indexing.reconcile(fix=False) == [idea.pk]
    assert indexing.reconcile(fix=True) == [idea.pk]

    assert indexing.reconcile(fix=False) == []
    hit = search("behind")
    assert titles(hit) == ["Changed behind the index's back"] and hit.hits[0].score == 42


@pytest.mark.django_db(transaction=True)
def test_alias_swap_during_concurrent_searches_gives_no_errors(search_index):
    category = CategoryFactory()
    for n in range(30):
        make_idea(title=f"Concurrent search idea {n}", category=category)
    search_index()
    errors, totals, stop = [], [], threading.Event()

    def keep_searching():
        while not stop.is_set():
            try:
                results = search("concurrent")
                totals.append(results.total)
                assert results.backend == "elasticsearch"
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

    searchers = [threading.Thread(target=keep_searching) for _ in range(4)]
    for thread in searchers:
        thread.start()
    for _ in range(3):
        search_index()
    stop.set()
    for thread in searchers:
        thread.join()

    assert errors == []
    assert len(totals) > 10 and set(totals) == {30}
    assert len(indexing.indices_behind_alias()) == 1


def test_filter_by_storm_session(search_index, make_session):
    session = make_session()
    inside = make_idea(title="Battery idea inside the session", storm_session=session)
    make_idea(title="Battery idea outside the session")
    search_index()

    assert titles(search("battery", storm_session=session.pk)) == [inside.title]
    assert search("battery").total == 2


def test_an_edited_official_response_is_searchable_by_its_new_words(search_index, run_tasks):
    idea = make_idea(title="Idea with an answer that changes")
    staff = staff_user()
    response = services.comment_create(
        author=staff, idea_id=idea.pk, body="We use zirconium", official=True
    )
    search_index()

    services.comment_update(editor=staff, comment_id=response.pk, body="We use titanium")
    run_tasks()
    refresh()

    assert titles(search("titanium")) == [idea.title]
    assert titles(search("zirconium")) == []


def test_the_search_page_takes_areas_and_sessions_from_the_cache(
    client, search_index, make_session
):
    session = make_session(title="Quiet office week")
    docks = CategoryFactory(name="Docking stations")
    make_idea(title="Battery idea inside the session", storm_session=session, category=docks)
    search_index()
    client.get("/search/", {"q": "battery"})

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/search/", {"q": "battery"}).content.decode()

    assert "Quiet office week" in page and "Docking stations" in page
    tables = " ".join(query["sql"] for query in queries)
    assert "ideas_category" not in tables and "cms_stormsessionpage" not in tables


# --- Staleness: versions, rebuilds and reconcile (issue #13, item 15) ----------------------


def stored(idea) -> dict:
    return get_client().get(index=indexing.alias_name(), id=idea.pk)


@pytest.mark.django_db(transaction=True)
def test_an_older_document_never_overwrites_a_newer_one(search_index, monkeypatch):
    """Two syncs of one idea: the first read the old state, then stalled; the second
    read the new state and wrote. When the first finally writes, the newer stays."""
    idea = make_idea(title="The title before the edit")
    search_index()
    read_old, release = threading.Event(), threading.Event()
    real_source = indexing.document_source

    def slow_for_the_first(idea_obj, official_response):
        source = real_source(idea_obj, official_response)
        if threading.current_thread().name == "slow-sync":
            read_old.set()
            release.wait(10)
        return source

    monkeypatch.setattr(indexing, "document_source", slow_for_the_first)
    api.idea_changed(idea.pk)  # the change the slow sync was queued for
    errors = []

    def slow_sync():
        try:
            indexing.index_ideas([idea.pk])
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    slow = threading.Thread(target=slow_sync, name="slow-sync")
    slow.start()
    assert read_old.wait(10)
    services.idea_update(
        editor=idea.author, idea_id=idea.pk, title="The title after the edit",
        body=idea.body, category=idea.category,
    )  # fmt: skip
    indexing.index_ideas([idea.pk])  # the second, faster sync
    release.set()
    slow.join()

    assert errors == []
    assert stored(idea)["_source"]["title"] == "The title after the edit"


def test_edits_made_during_a_rebuild_reach_the_new_index(search_index):
    idea = make_idea(title="Rebuilt while being edited", body="The first body.")
    make_idea(title="Another idea in the rebuild")
    responder = staff_user()
    answer = services.comment_create(
        author=responder, idea_id=idea.pk, body="Answered before the rebuild", official=True
    )
    search_index()  # the index a rebuild replaces

    def edit_once(done, total):
        # The first idea is already in the new index; the edit goes to the old one.
        if done == 1:
            moderation.idea_moderator_edit(
                actor=staff_user(roles.COMMUNITY_MANAGER), idea_id=idea.pk, title=idea.title,
                body="A body edited mid-rebuild.", reason="Removed a phone number",
            )  # fmt: skip
            # Nothing a five-field comparison would notice (title, status, counts).
            services.comment_update(
                editor=responder, comment_id=answer.pk, body="Answered mid-rebuild"
            )
            indexing.sync_pending()  # the worker, writing through the alias

    report = indexing.rebuild(batch_size=1, progress=edit_once)

    source = stored(idea)["_source"]
    assert source["body"].strip() == "A body edited mid-rebuild."
    assert source["official_response"] == "Answered mid-rebuild"
    assert report.replayed >= 1
    assert indexing.reconcile(fix=False) == []


def test_reconcile_compares_the_whole_document(search_index):
    idea = make_idea(title="Compared field by field", body="Old body.")
    search_index()
    Idea.objects.filter(pk=idea.pk).update(body_html="<p>A body changed behind its back.</p>")

    assert indexing.reconcile(fix=False) == [idea.pk]
    assert indexing.reconcile(fix=True) == [idea.pk]
    assert stored(idea)["_source"]["body"] == "A body changed behind its back."
    assert indexing.reconcile(fix=False) == []


def test_a_changed_display_name_reaches_the_index(
    search_index, django_capture_on_commit_callbacks, run_tasks
):
    from community.members.services import member_profile_update

    author = UserFactory(display_name="Ada Before")
    idea = make_idea(author=author, title="An idea whose author is renamed")
    search_index()

    with django_capture_on_commit_callbacks(execute=True):
        member_profile_update(member=author, display_name="Grace After", bio="")
    run_tasks()  # the queued search sync, as a worker would

    assert stored(idea)["_source"]["author_name"] == "Grace After"
    assert indexing.reconcile(fix=False) == []


def test_votes_from_a_suspected_ring_do_not_lift_an_idea_in_search(search_index):
    brigaded = make_idea(title="Battery saver with a bigger logo")
    genuine = make_idea(title="Battery saver that learns the night")
    # 51 votes of which 50 came from a suspected ring, against 31 real ones.
    Idea.objects.filter(pk=brigaded.pk).update(promotes=51, score=51, ring_discount=50)
    Idea.objects.filter(pk=genuine.pk).update(promotes=31, score=31)
    search_index()

    assert titles(search("battery saver", sort="score")) == [genuine.title, brigaded.title]
    assert titles(search("", sort="score"))[:2] == [genuine.title, brigaded.title]
