"""python manage.py send_reminders: remind bodies that have not acknowledged, and the people
whose step is overdue (safe to rerun)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from decisions import services


class Command(BaseCommand):
    help = "Remind receiving bodies that have not acknowledged within the working-day limit."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = services.send_reminders()
        self.stdout.write(_("%(count)d reminders sent.") % {"count": len(reminded)})
        overdue = services.remind_overdue_steps()
        self.stdout.write(_("%(count)d overdue steps reminded.") % {"count": len(overdue)})
        from decisions.services.incoming import remind_overdue_incoming

        late = remind_overdue_incoming()
        self.stdout.write(
            _("%(count)d overdue incoming documents reminded.") % {"count": len(late)}
        )
