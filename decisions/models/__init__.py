"""The decision domain: bodies, people, registers and decisions (Quyết định), one module per
concept, every public name re-exported here (`from decisions.models import Decision`).

Vietnamese terms of art and their identifiers are listed in docs/glossary.md.
Models guard a single row; everything that touches several rows lives in services.
"""

from decisions.models.delegation import (
    Absence,
    Delegation,
    DelegationEvent,
)
from decisions.models.distribution import (
    Delivery,
    Holiday,
)
from decisions.models.doctypes import (
    DocumentKind,
    IssuedDocumentType,
)
from decisions.models.documents import (
    ARCHIVE_PREFIX,
    Attachment,
    Decision,
    DecisionVersion,
    Recipient,
    RecipientGroup,
    is_archive_entry,
    kind_and_subject,
    validate_attachment_file,
)
from decisions.models.edxml import (
    ReceivedPackage,
)
from decisions.models.exchange import (
    ExchangeNonce,
    ExchangePartner,
    OutgoingStatus,
    SentPackage,
)
from decisions.models.history import (
    DecisionEvent,
    HistoryHead,
    RoleEvent,
)
from decisions.models.incoming import (
    IncomingDocument,
    IncomingEvent,
    IncomingRegister,
)
from decisions.models.jobs import (
    OutgoingMail,
    ScheduledJob,
    WorkerHeartbeat,
)
from decisions.models.organisations import (
    PLACE_LEVELS,
    SYLLABLE,
    Organization,
    Sector,
    User,
    sentence_case_name,
    validate_transparent_png,
)
from decisions.models.registers import (
    DocumentType,
    Register,
)
from decisions.models.sign_in import (
    PasswordResetRequest,
)
from decisions.models.signing import (
    SigningKey,
)
from decisions.models.steps import (
    StepDeadline,
    StepRecord,
)
from decisions.models.templates import (
    DecisionTemplate,
)

__all__ = [
    "ARCHIVE_PREFIX",
    "PLACE_LEVELS",
    "SYLLABLE",
    "Absence",
    "Attachment",
    "Decision",
    "DecisionEvent",
    "DecisionTemplate",
    "DecisionVersion",
    "Delegation",
    "DelegationEvent",
    "Delivery",
    "DocumentKind",
    "DocumentType",
    "ExchangeNonce",
    "ExchangePartner",
    "HistoryHead",
    "Holiday",
    "IncomingDocument",
    "IncomingEvent",
    "IncomingRegister",
    "IssuedDocumentType",
    "Organization",
    "OutgoingMail",
    "OutgoingStatus",
    "PasswordResetRequest",
    "ReceivedPackage",
    "Recipient",
    "RecipientGroup",
    "Register",
    "RoleEvent",
    "ScheduledJob",
    "Sector",
    "SentPackage",
    "SigningKey",
    "StepDeadline",
    "StepRecord",
    "User",
    "WorkerHeartbeat",
    "is_archive_entry",
    "kind_and_subject",
    "sentence_case_name",
    "validate_attachment_file",
    "validate_transparent_png",
]
