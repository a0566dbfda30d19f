"""What an email may add that only the layers above know: a shipped idea's story.

A port like `community.notifications.audiences`: `cms` registers a provider
per notification kind from its app's `ready()`. A provider takes the ideas of
one sending batch and returns, per idea id, values for the email's template
(`story_title`, `story_url`), so a batch of ten thousand shipped emails asks
once, not once per email.
"""

from collections.abc import Callable, Iterable

Provider = Callable[[set[int]], dict[int, dict]]

_providers: dict[str, Provider] = {}


def register(kind: str) -> Callable[[Provider], Provider]:
    def decorate(provider: Provider) -> Provider:
        _providers[kind] = provider
        return provider

    return decorate


def for_ideas(kind: str, idea_ids: Iterable[int]) -> dict[int, dict]:
    provider = _providers.get(kind)
    ids = set(idea_ids)
    return provider(ids) if provider and ids else {}
