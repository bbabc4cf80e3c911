"""viewflow registers its process and task tables in the admin; they are the engine's
internals (each decision's page shows its history), so they are not offered there."""

from django.contrib import admin
from viewflow.workflow.models import Process, Task

admin.site.unregister(Process)
admin.site.unregister(Task)
