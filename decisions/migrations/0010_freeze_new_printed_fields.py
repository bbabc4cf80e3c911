"""Freeze the fields added since the guard was written: the verification code printed on the
PDF, and the link to the earlier decision a decision amends, replaces or repeals.

A later migration that adds printed fields extends FROZEN_COLUMNS here the same way; one that
rebuilds decisions_decision on SQLite lifts and re-installs the guards around it (see 0005).
"""

import importlib

from django.db import migrations

guards = importlib.import_module("decisions.migrations.0002_approval_flow")
FROZEN_COLUMNS = [*guards.FROZEN_COLUMNS, "verification_token", "affects_id", "effect"]
SQLITE = [
    "DROP TRIGGER IF EXISTS decisions_decision_frozen;",
    guards.sqlite_decision_trigger(FROZEN_COLUMNS),
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS decisions_decision_frozen;",
    guards.sqlite_decision_trigger(guards.FROZEN_COLUMNS),
]


class Migration(migrations.Migration):
    dependencies = [("decisions", "0009_amendments")]

    operations = [
        migrations.RunPython(
            guards._run({
                "sqlite": SQLITE,
                "postgresql": [guards.postgresql_decision_function(FROZEN_COLUMNS)],
            }),
            guards._run({
                "sqlite": SQLITE_REVERSE,
                "postgresql": [guards.postgresql_decision_function(guards.FROZEN_COLUMNS)],
            }),
        ),
    ]
