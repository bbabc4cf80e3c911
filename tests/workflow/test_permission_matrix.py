"""Every persona tries every step on a decision of its own body and of another body:
only the right one succeeds; the others get 404 (may not see it) or 403 (may see it but not
do this), and nothing changes."""

import pytest

from decisions import permissions, services
from decisions.models import Decision
from tests.conftest import PIN

pytestmark = pytest.mark.django_db
Role = permissions.Role
Status = Decision.Status


SEES = {"specialist", "chief_of_office", "vice_chair", "chair", "records_clerk"}

# action -> (state to reach, who may do it, form fields)
STEPS = {
    "submit": ("draft", "specialist", {}),
    "propose": ("proposal", "chief_of_office", {"signer": "chair"}),
    "return": ("proposal", "chief_of_office", {"reason": "Sửa lại."}),
    "withdraw": ("proposal", "specialist", {"reason": "Không cần nữa."}),
    "review": ("review", "chair", {}),
    "hand-over": ("review", "chair", {"to": "vice_chair"}),
    "sign": ("signature", "chair", {"pin": PIN}),
    "issue": ("signed", "records_clerk", {"pin": PIN}),
    "void": ("issued", "records_clerk", {"reason": "Sai thể thức."}),
}
PATH = ["submit", "propose", "review", "sign", "issue"]
STATE_AFTER = {"draft": 0, "proposal": 1, "review": 2, "signature": 3, "signed": 4, "issued": 5}


@pytest.mark.parametrize("action", list(STEPS))
def test_only_the_right_persona_can_take_each_step(act, personas, issuer, make_content, action):
    state, allowed, fields = STEPS[action]
    decision = services.create_draft(
        actor=personas["specialist"], issuer=issuer, content=make_content()
    )
    for step in PATH[: STATE_AFTER[state]]:
        _, who, step_fields = STEPS[step]
        response = act(personas[who], decision, step, **resolve(step_fields, personas))
        assert response.status_code == 302, (step, response.status_code)
    decision.refresh_from_db()
    assert decision.status == state
    before = (decision.status, decision.revision, decision.signer_id, decision.events.count())

    for name, user in personas.items():
        if name == allowed:
            continue
        response = act(user, decision, action, **resolve(fields, personas))
        expected = 403 if name in SEES else 404
        assert response.status_code == expected, (name, response.status_code)
        decision.refresh_from_db()
        assert (
            decision.status,
            decision.revision,
            decision.signer_id,
            decision.events.count(),
        ) == before, name

    response = act(personas[allowed], decision, action, **resolve(fields, personas))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.events.count() > before[3]


def resolve(fields, personas):
    return {
        key: personas[value].pk if value in personas else value for key, value in fields.items()
    }
