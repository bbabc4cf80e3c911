from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from django.urls import register_converter

        from decisions import health  # noqa: F401 - registers the deployment checks
        from decisions.parsing import IdConverter

        register_converter(IdConverter, "id")
