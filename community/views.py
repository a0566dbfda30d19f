from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from community.health import DOWN, site_health


@never_cache
@require_GET
def healthz(request):
    report = site_health()
    return JsonResponse(report, status=503 if report["status"] == DOWN else 200)
