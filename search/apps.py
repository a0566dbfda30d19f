from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "idea_search"
    verbose_name = "Search"
