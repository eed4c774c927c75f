"""Top-level URLs: pages under a language prefix; the API, admin and health probes without one."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.converters import DatabaseIdConverter
from config.health import healthz, readyz
from frontend.accounts.admin_login import admin_login
from frontend.language import switch_language

# Django admin has no login form of its own: people log in through allauth's, and its limits on failures.
admin.site.login = admin_login  # type: ignore[method-assign]
# Ids in URLs (`<id:pk>`) are integers the database can hold: a larger one is a 404, not a crash.
# Registered before the apps' URLs are included, which read it.
register_converter(DatabaseIdConverter, "id")

urlpatterns = [
    # For probes and monitors: no language prefix, no login.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's script comes from ?script (script-src 'self'); only its page's own <style> block needs inline styles.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("language/", switch_language, name="set_language"),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("", include("frontend.urls")),
    prefix_default_language=True,
)

# Under /api/ a path that matches nothing answers the API's error shape, not an HTML page.
handler404 = "config.api.page_not_found_or_api_error"
# The 500 page in the site's layout, and never failing itself.
handler500 = "frontend.errors.server_error"
