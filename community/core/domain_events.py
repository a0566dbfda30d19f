"""A port for subscribers above the domain (webhooks): the domain publishes
what happened, by name and ids, without importing who listens.

`ideas.events` calls `publish` inside the writer's transaction, so a subscriber
that writes rows (an outbox) writes them in that transaction: a rolled-back
change leaves nothing behind. Subscribers register once, at start-up, from
their app's `ready()`; they must be quick and must not send anything before
commit.
"""

from collections.abc import Callable

Subscriber = Callable[..., None]

_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> Subscriber:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)
    return subscriber


def publish(kind: str, **ids) -> None:
    """Tell every subscriber: `kind` is an event name, `ids` name the rows it is about."""
    for subscriber in list(_subscribers):
        subscriber(kind, **ids)
