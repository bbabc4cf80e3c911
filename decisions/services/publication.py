"""Publication: an issued decision's content shown to the public."""

from __future__ import annotations

from django.db import transaction

from decisions import events, lifecycle
from decisions.models import (
    Decision,
    DecisionEvent,
    User,
)


@transaction.atomic
def publish_decision(*, actor: User, decision: Decision, public: bool) -> Decision:
    """The văn thư makes an issued decision's content public (or withdraws it from the public)."""
    decision = lifecycle.begin("publish", decision=decision, actor=actor)
    decision.is_public = public
    decision.save(update_fields=["is_public", "updated_at"])
    events.record(decision, DecisionEvent.Kind.PUBLISHED, actor=actor, public=public)
    return decision
