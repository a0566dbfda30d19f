"""Test data. Ideas are made through the domain service, so counters are real."""

import factory
from allauth.account.models import EmailAddress

from community import roles
from community.models import User
from ideas import services
from ideas.models import Category


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password("pass-word-123")

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Members have a verified email unless `verified=False` is passed."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            # role_group: transactional tests flush the migration-made groups.
            user.groups.add(roles.role_group(extracted))


def staff_user(role: str = roles.STAFF_RESPONDER, **kwargs) -> User:
    return UserFactory(role=role, **kwargs)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Product area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")


def make_idea(*, author=None, category=None, title=None, body="Because it would help.", **kwargs):
    return services.idea_create(
        author=author or UserFactory(),
        title=title or f"An idea worth building {UserFactory._meta.model.objects.count()}",
        body=body,
        category=category or CategoryFactory(),
        **kwargs,
    )


def publish(parent, page):
    """Add a Wagtail page under `parent` and publish it, as an editor would."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
