"""The approval flow: delegated signers, a hash-chained history, and a database guard that
keeps issued decisions frozen."""

import django.utils.timezone
from django.db import migrations, models

FROZEN_COLUMNS = [
    "issuer_id", "document_type_id", "authority", "authority_line", "subject", "legal_bases",
    "proposer", "articles", "annexes", "urgency", "confidentiality", "sector_id", "drafter_id",
    "signer_id", "signer_delegated", "drafter_initials", "copies", "revision", "register_id",
    "number", "reference", "issued_on", "issued_at", "snapshot", "created_at",
]
# The issued PDF is stored right after numbering, in the same transaction; from then on it too
# is frozen.
PDF_COLUMNS = ["pdf", "pdf_sha256"]
MESSAGE = "decision is issued: its printed content is frozen"


def _changed(compare: str, columns: list[str]) -> str:
    frozen = " OR ".join(compare.format(column=column) for column in columns)
    pdf = " OR ".join(compare.format(column=column) for column in PDF_COLUMNS)
    return f"{frozen} OR (OLD.pdf_sha256 <> '' AND ({pdf}))"


def sqlite_decision_trigger(columns: list[str]) -> str:
    """The SQLite trigger that refuses changes to the printed columns of an issued decision."""
    return f"""CREATE TRIGGER decisions_decision_frozen BEFORE UPDATE ON decisions_decision
    WHEN OLD.number IS NOT NULL AND (
        ({_changed("NEW.{column} IS NOT OLD.{column}", columns)})
        OR (NEW.status IS NOT OLD.status
            AND NOT (OLD.status = 'issued' AND NEW.status IN ('voided', 'recalled')))
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""


def postgresql_decision_function(columns: list[str]) -> str:
    """The PostgreSQL trigger function doing the same (CREATE OR REPLACE)."""
    return f"""CREATE OR REPLACE FUNCTION decisions_decision_frozen() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.number IS NOT NULL THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN OLD;
        END IF;
        IF OLD.number IS NOT NULL AND (
            ({_changed("NEW.{column} IS DISTINCT FROM OLD.{column}", columns)})
            OR (NEW.status IS DISTINCT FROM OLD.status
                AND NOT (OLD.status = 'issued' AND NEW.status IN ('voided', 'recalled')))
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;"""


SQLITE = [
    sqlite_decision_trigger(FROZEN_COLUMNS),
    f"""CREATE TRIGGER decisions_decision_frozen_delete BEFORE DELETE ON decisions_decision
    WHEN OLD.number IS NOT NULL BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    *[
        f"""CREATE TRIGGER decisions_recipient_frozen_{op.lower()} BEFORE {op} ON decisions_recipient
        WHEN (SELECT number FROM decisions_decision WHERE id = {row}.decision_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
        for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
    ],
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS decisions_decision_frozen;",
    "DROP TRIGGER IF EXISTS decisions_decision_frozen_delete;",
    "DROP TRIGGER IF EXISTS decisions_recipient_frozen_insert;",
    "DROP TRIGGER IF EXISTS decisions_recipient_frozen_update;",
    "DROP TRIGGER IF EXISTS decisions_recipient_frozen_delete;",
]
POSTGRESQL = [
    postgresql_decision_function(FROZEN_COLUMNS),
    """CREATE TRIGGER decisions_decision_frozen BEFORE UPDATE OR DELETE ON decisions_decision
    FOR EACH ROW EXECUTE FUNCTION decisions_decision_frozen();""",
    f"""CREATE FUNCTION decisions_recipient_frozen() RETURNS trigger AS $$
    DECLARE parent_number integer;
    BEGIN
        SELECT number INTO parent_number FROM decisions_decision
            WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.decision_id ELSE OLD.decision_id END;
        IF parent_number IS NOT NULL THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER decisions_recipient_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON decisions_recipient FOR EACH ROW EXECUTE FUNCTION decisions_recipient_frozen();""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS decisions_recipient_frozen ON decisions_recipient;",
    "DROP FUNCTION IF EXISTS decisions_recipient_frozen();",
    "DROP TRIGGER IF EXISTS decisions_decision_frozen ON decisions_decision;",
    "DROP FUNCTION IF EXISTS decisions_decision_frozen();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def chain_existing_events(apps, schema_editor):
    """Number and hash-chain the history entries written before the chain existed."""
    from decisions.events import GENESIS, content_hash

    event_model = apps.get_model("decisions", "DecisionEvent")
    decision_ids = event_model.objects.values_list("decision_id", flat=True).distinct()
    for decision_id in decision_ids:
        previous = GENESIS
        events = event_model.objects.filter(decision_id=decision_id).order_by("at", "pk")
        for sequence, event in enumerate(events, start=1):
            event.sequence, event.previous_hash = sequence, previous
            event.hash = content_hash(event)
            event_model.objects.filter(pk=event.pk).update(
                sequence=sequence, previous_hash=previous, hash=event.hash
            )
            previous = event.hash


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="signer_delegated",
            field=models.BooleanField(
                default=False,
                help_text="A vice chair may then sign outside his own fields.",
                verbose_name="handed to the signer by the chair",
            ),
        ),
        migrations.AlterField(
            model_name="decisionevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False,
                verbose_name="at",
            ),
        ),
        migrations.AddField(
            model_name="decisionevent",
            name="sequence",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="sequence"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="decisionevent",
            name="previous_hash",
            field=models.CharField(
                default="", editable=False, max_length=64,
                verbose_name="hash of the previous entry",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="decisionevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="decisionevent",
            options={"ordering": ["decision", "sequence"], "verbose_name": "history entry",
                     "verbose_name_plural": "history"},
        ),
        migrations.AddConstraint(
            model_name="decisionevent",
            constraint=models.UniqueConstraint(
                fields=("decision", "sequence"), name="unique_event_sequence"
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
