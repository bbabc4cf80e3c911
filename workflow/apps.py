from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    """viewflow glue: depends on `decisions`, never the other way round."""

    name = "workflow"
    verbose_name = _("Approval flow")

    def ready(self) -> None:
        """Absent leaders' tasks pass to their substitutes on the scheduler's beat (the job
        lives here because it moves viewflow tasks, which the domain never imports)."""
        from decisions import jobs
        from workflow import substitution

        jobs.SCHEDULE["absences"] = jobs.Schedule(
            substitution.substitute_absent_leaders, substitution.every_half_past
        )
