"""The API object: routers, auth, limits and error bodies in one place."""

from ninja import NinjaAPI
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema

from community.api import errors
from community.api.routers import catalog, ideas, members, staff
from community.api.throttling import ApiRateThrottle
from community.webhooks.schemas import WebhookPayload, openapi_webhooks


class IdealoopApi(NinjaAPI):
    """The schema also documents the webhooks (OpenAPI 3.1 `webhooks`), from the
    same pydantic schemas the deliveries are checked against."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        payload = WebhookPayload.model_json_schema(
            ref_template=REF_TEMPLATE,
            schema_generator=NinjaGenerateJsonSchema,
            mode="serialization",
        )
        schema["webhooks"] = openapi_webhooks(schema.add_schema_definitions, payload)
        return schema


api = IdealoopApi(
    title="Idealoop API",
    version="1",
    description=(
        "The community's ideas, votes, comments and staff answers, with the same rules as "
        "the site. Authenticate with a personal token (`Authorization: Bearer il_…`, made on "
        "your account's API tokens page) or, from the site's own pages, the session cookie "
        "with the `X-CSRFToken` header on writes. Lists are cursor-paginated; errors are "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[ApiRateThrottle()],
)
errors.install(api)
api.add_router("", ideas.router)
api.add_router("", staff.router)
api.add_router("", catalog.router)
api.add_router("", members.router)
