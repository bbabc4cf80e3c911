"""viewflow registers its process and task tables in the admin; they are the engine's
internals (each decision's page shows its history), so they are not offered there."""

from django.contrib import admin
from viewflow.workflow.models import Process, Task

admin.site.unregister(Process)
admin.site.unregister(Task)


# --- Absences of leaders and their substitutes (workflow/substitution.py) ---

from typing import Any  # noqa: E402

from django.contrib import messages  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from decisions import services  # noqa: E402
from decisions.models import Absence  # noqa: E402
from workflow import substitution  # noqa: E402


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    """A leader away, and who takes over what waits for his signature meanwhile; recorded
    once, and applied at once when under way (then at half past every hour by the scheduler)."""

    list_display = ("leader", "substitute", "organization", "starts_at", "ends_at", "closed_at")
    list_filter = ("organization",)
    autocomplete_fields = ("leader", "substitute")
    fields = ("organization", "leader", "substitute", "starts_at", "ends_at", "note")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Absence, form: Any, change: bool) -> None:
        if change:
            return  # never edited: record a new one
        services.record_absence(actor=request.user, absence=obj)  # type: ignore[arg-type]
        counts = substitution.apply_absences()
        if counts["passed"]:
            messages.info(
                request,
                _("%(count)d decisions waiting for the leader were passed to the substitute.")
                % {"count": counts["passed"]},
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
