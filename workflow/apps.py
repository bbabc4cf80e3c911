from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    """viewflow glue: depends on `decisions`, never the other way round."""

    name = "workflow"
    verbose_name = _("Approval flow")
