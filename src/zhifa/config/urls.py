from django.urls import include, path

from zhifa.config.api import api
from zhifa.config.api_docs import api_docs
from zhifa.core import views as core_views
from zhifa.reports import views as report_views

urlpatterns = [
    path("api/v1/docs", api_docs),  # before the API's own routes: a Chinese page, no CDN
    path("api/v1/", api.urls),
    path("favicon.ico", core_views.favicon),  # browsers ask for it on pages without a <link rel=icon>
    path("", include("zhifa.disclosure.urls")),  # the public portal, resolved before the internal pages
    path("", report_views.home, name="home"),  # the signed-in start page
    path("", include("zhifa.accounts.urls")),
    path("", include("zhifa.notifications.urls")),
    path("", include("zhifa.registry.urls")),
    path("", include("zhifa.rules.urls")),
    path("", include("zhifa.evidence.urls")),
    path("", include("zhifa.documents.urls")),
    path("", include("zhifa.cases.urls")),
    path("", include("zhifa.credit.urls")),
    path("", include("zhifa.inspections.urls")),
    path("", include("zhifa.overload.urls")),
    path("", include("zhifa.monitoring.urls")),
    path("", include("zhifa.complaints.urls")),
    path("", include("zhifa.permits.urls")),
    path("", include("zhifa.reports.urls")),
    path("", include("zhifa.people.urls")),
    path("", include("zhifa.legal.urls")),
    path("", include("zhifa.console.urls")),
    path("", include("zhifa.ops.urls")),  # 等保自评 (the probes and /metrics: ops.middleware)
]

handler403 = "zhifa.core.views.error_403"
handler404 = "zhifa.core.views.error_404"
handler500 = "zhifa.core.views.error_500"
