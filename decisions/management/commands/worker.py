"""python manage.py worker: run queued background jobs (e-mails, file clean-up, scheduled
reminders). Run one or more on each machine (deploy/decisions-worker.service); they share the
queue through the database. Options are django-tasks' `db_worker`'s (see --help), but for
--reload: a reloaded worker would leave its task half done."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from decisions import jobs


class Command(db_worker.Command):
    help = (
        "Run queued background jobs: e-mails, file clean-up and scheduled reminders. Beats for "
        "the health check and runs again the jobs of a worker that died."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = jobs.Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
