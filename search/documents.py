"""The idea search document, its mapping and index settings.

The integration-test Elasticsearch has no analysis-common module, so text uses
the standard analyzer plus, where the node has Debian's en_US dictionary, the
core hunspell filter for English stemming (SEARCH_HUNSPELL).
"""

from django.conf import settings
from elasticsearch.dsl import Date, Document, Integer, Keyword, Text

STEMMED = "english_text"


def index_settings() -> dict:
    analysis: dict = {}
    if settings.SEARCH_HUNSPELL:
        analysis = {
            "filter": {"english_hunspell": {"type": "hunspell", "locale": "en_US", "dedup": True}},
            "analyzer": {
                STEMMED: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "english_hunspell"],
                }
            },
        }
    else:
        analysis = {"analyzer": {STEMMED: {"type": "standard"}}}
    return {
        "number_of_shards": 1,
        "number_of_replicas": settings.SEARCH_INDEX_REPLICAS,
        "analysis": analysis,
    }


def _text(**kwargs) -> Text:
    # `plain` keeps unstemmed words for "did you mean" suggestions. Offsets in
    # the postings let the highlighter skip re-analysing each hit's text.
    return Text(
        analyzer=STEMMED,
        index_options="offsets",
        fields={"plain": Text(analyzer="standard")},
        **kwargs,
    )


class IdeaDocument(Document):
    """What a searcher needs, and nothing private (no emails, IPs or notes)."""

    title = _text()
    body = _text()
    tags = Keyword(multi=True)
    tags_text = Text(analyzer=STEMMED, multi=True)
    category = Keyword()
    category_name = Text(analyzer="standard")
    status = Keyword()
    visibility = Keyword()
    author_name = Text(analyzer="standard")
    official_response = _text()
    score = Integer()
    # The score without the votes of suspected voting rings: what "top" ranks by.
    merit = Integer()
    supporters = Integer()
    comment_count = Integer()
    storm_session = Integer()
    # The group the idea's Storm Session is limited to; absent: anyone may find it.
    audience_group = Integer()
    created_at = Date()
    last_activity_at = Date()
    url = Keyword(index=False)

    class Index:
        # The real name is set per call (prefix, version); see search.indexing.
        name = "ideas"
