"""Root URL configuration: wiring only."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from decisions import health, sign_in_views
from decisions import views as decision_views
from decisions.forms import LoginForm

admin.site.site_header = _("Decision issuing: administration")
admin.site.site_title = _("Administration")
admin.site.index_title = _("Administration")

# Vietnamese error pages (config/errors.py); 400, 404 and 500 are Django's views with our
# templates (templates/400.html, 404.html, 500.html).
handler403 = "config.errors.permission_denied"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("healthz/web", health.healthz, {"scope": "web"}, name="healthz_web"),
    path("admin/", admin.site.urls),
    path("api/edxml/", include("decisions.exchange.api_urls")),  # other systems (edXML)
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        sign_in_views.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/two-factor/", sign_in_views.account, name="two_factor"),
    path("accounts/two-factor/verify/", sign_in_views.verify, name="two_factor_verify"),
    path("accounts/two-factor/set-up/", sign_in_views.enrol, name="two_factor_enrol"),
    path(
        "accounts/two-factor/recovery-codes/",
        sign_in_views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "accounts/two-factor/recovery-codes/new/",
        sign_in_views.renew_recovery_codes,
        name="two_factor_renew_codes",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", decision_views.home, name="home"),
    path("", include("decisions.urls")),
    path("", include("workflow.urls")),
    path("", include("decisions.public_urls")),
]
