"""Who hears of a notification event: resolvers the domain registers by name.

A request that concerns many people (a status change on an idea with ten
thousand followers) names its audience instead of listing it; the worker asks
the resolver when it fans the event out. This is a port, like
`community.core.domain_events`: the notifications layer sits below the domain
and does not import it, so the domain registers its resolvers from its app's
`ready()`.

A resolver takes the event and returns groups: the members of a group get
the event's message and link unless the group names its own (the rating ask).
A member in two groups hears once, from the first.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass
class Group:
    user_ids: Iterable[int]
    message: list | None = None  # translatable parts (community.notifications.texts)
    url: str | None = None


Resolver = Callable[..., list[Group]]

_resolvers: dict[str, Resolver] = {}


def register(name: str) -> Callable[[Resolver], Resolver]:
    def decorate(resolver: Resolver) -> Resolver:
        _resolvers[name] = resolver
        return resolver

    return decorate


class UnknownAudience(LookupError):
    pass


def resolve(event) -> list[Group]:
    if not event.audience:
        return [Group(event.recipients)]
    try:
        resolver = _resolvers[event.audience]
    except KeyError:
        raise UnknownAudience(f"No audience named {event.audience!r} is registered") from None
    return resolver(event)
