"""Every write to the decision domain. Each service checks permission and state itself (through
the lifecycle table), owns its transaction, records an event and leaves side effects for after
commit. One module per area of verbs; callers import the package (`from decisions import
services`, then `services.issue_decision(...)`).

Errors: `permissions.NotAllowed` (403) when the user may not act; `ValidationError` with
Vietnamese messages when the input or the state is wrong. Nothing is saved on error.
"""

from decisions.services.approval import (
    approve_decision,
    check_draft,
    hand_over,
    propose_decision,
    return_for_revision,
    sign_decision,
    submit_draft,
    withdraw_draft,
)
from decisions.services.delegation import (
    close_absence,
    end_delegation,
    give_back,
    pass_to_substitute,
    record_absence,
    record_delegation,
)
from decisions.services.distribution import (
    acknowledge_delivery,
    distribute_decision,
    open_delivery,
    recall_decision,
    remind_overdue_steps,
    resend_delivery,
    send_reminders,
)
from decisions.services.drafting import (
    RecipientLinks,
    add_attachment,
    create_draft,
    link_recipients,
    remove_attachment,
    update_draft,
)
from decisions.services.issuance import (
    issue_decision,
    record_pdf_view,
    void_decision,
)
from decisions.services.publication import (
    publish_decision,
)

__all__ = [
    "RecipientLinks",
    "acknowledge_delivery",
    "add_attachment",
    "approve_decision",
    "check_draft",
    "close_absence",
    "create_draft",
    "distribute_decision",
    "end_delegation",
    "give_back",
    "hand_over",
    "issue_decision",
    "link_recipients",
    "open_delivery",
    "pass_to_substitute",
    "propose_decision",
    "publish_decision",
    "recall_decision",
    "record_absence",
    "record_delegation",
    "record_pdf_view",
    "remind_overdue_steps",
    "remove_attachment",
    "resend_delivery",
    "return_for_revision",
    "send_reminders",
    "sign_decision",
    "submit_draft",
    "update_draft",
    "void_decision",
    "withdraw_draft",
]
