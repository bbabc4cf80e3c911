"""The lifecycle table is the one place for who may do what in which state: the flow graph,
the pages, the inbox and the services all follow it, and a step already taken is refused
with what happened meanwhile."""

import pytest

from decisions import lifecycle, permissions, services
from decisions.models import Decision
from tests.conftest import PIN
from workflow import driver
from workflow.flows import DecisionFlow

pytestmark = pytest.mark.django_db
Status = Decision.Status


def test_the_flow_graph_and_the_lifecycle_table_agree_node_by_node():
    human_nodes = {
        node.name for node in DecisionFlow.instance.nodes() if type(node).__name__ == "View"
    }
    assert human_nodes == {step.flow_node for step in lifecycle.STEPS.values()}
    routed = [edge.dst.name for edge in DecisionFlow.route._outgoing()]
    assert routed[: len(lifecycle.STEPS)] == [step.flow_node for step in lifecycle.STEPS.values()]
    for status, step in lifecycle.STEPS.items():
        assert driver.NODE_FOR_STATUS[status].name == step.flow_node
    for step in lifecycle.STEPS.values():  # each step is somebody's move by some action
        assert any(step.status in row.sources and row.who for row in lifecycle.TRANSITIONS)


def test_every_action_of_the_table_is_a_flag_of_the_page_and_every_form_has_its_step_url():
    from workflow.views import STEP_VIEWS

    assert set(lifecycle.ACTIONS) <= set(lifecycle.Actions.__dataclass_fields__)
    with_forms = {row.slug for row in lifecycle.TRANSITIONS if row.form}
    assert with_forms == set(STEP_VIEWS)


def test_an_unknown_step_is_a_404(client, specialist, draft):
    client.force_login(specialist)
    assert client.post(f"/decisions/{draft.pk}/fly-away/").status_code == 404


def test_signing_again_from_a_stale_tab_says_it_was_already_signed_by_whom(
    act, specialist, chief_of_office, chair, draft
):
    for user, step, fields in [
        (specialist, "submit", {}),
        (chief_of_office, "propose", {"signer": chair.pk}),
        (chair, "review", {}),
    ]:
        assert act(user, draft, step, **fields).status_code == 302
    assert act(chair, draft, "sign", pin=PIN).status_code == 302
    again = act(chair, draft, "sign", pin=PIN)  # the tab opened before he signed
    assert again.status_code == 400
    html = again.content.decode()
    assert "Không thể thực hiện nữa: quyết định đang ở trạng thái “Đã ký”" in html
    assert str(chair) in html[html.index("Không thể thực hiện nữa") :][:300]
    draft.refresh_from_db()
    assert draft.status == Status.SIGNED


def test_a_step_already_taken_is_refused_with_its_story_at_service_level_too(
    specialist, chief_of_office, draft
):
    from django.core.exceptions import ValidationError

    services.submit_draft(actor=specialist, decision=draft)
    with pytest.raises(ValidationError, match=r"Không thể thực hiện nữa: .* \(Trình — "):
        services.submit_draft(actor=specialist, decision=draft)


# --- The persona × action matrix, generated from the table -------------------------------------

PATH = [
    ("submit", "specialist", {}),
    ("propose", "chief_of_office", {"signer": "chair"}),
    ("review", "chair", {}),
    ("sign", "chair", {"pin": PIN}),
    ("issue", "records_clerk", {"pin": PIN}),
]
# Actions whose forms need no choice that depends on the state (propose and hand-over, whose
# pickers do, are in tests/workflow/test_permission_matrix.py).
FIELDS = {
    "submit": {},
    "check": {},
    "return_": {"reason": "Sửa lại."},
    "review": {},
    "sign": {"pin": PIN},
    "issue": {"pin": PIN},
    "withdraw": {"reason": "Không cần nữa."},
    "recall": {"reason": "Sai sót."},
    "void": {"reason": "Sai thể thức."},
}
URL = {"return_": "return"}


def _expected(user, action, decision) -> int:
    """What the table says the page must answer: 404, 403, 400, or 302 (allowed)."""
    from django.core.exceptions import ValidationError

    if not permissions.can_view(user, decision):
        return 404
    try:
        lifecycle.check(action, decision=decision, actor=user)
    except permissions.NotAllowed:
        return 403
    except ValidationError:
        return 400
    return 302


@pytest.mark.parametrize("reached", range(len(PATH) + 1))
def test_every_persona_gets_what_the_table_says_for_every_action_in_every_state(
    act, personas, issuer, make_content, reached
):
    decision = services.create_draft(
        actor=personas["specialist"], issuer=issuer, content=make_content()
    )
    for action, who, fields in PATH[:reached]:
        fields = {k: (personas[v].pk if v in personas else v) for k, v in fields.items()}
        assert act(personas[who], decision, action, **fields).status_code == 302, action
    decision.refresh_from_db()
    checked = 0
    for action, fields in FIELDS.items():
        for name, user in personas.items():
            expected = _expected(user, action, decision)
            if expected == 302:
                assert lifecycle.may(user, action, decision), (action, name)
                continue  # the allowed path itself is run above and in the flow tests
            before = (decision.status, decision.revision, decision.events.count())
            response = act(user, decision, URL.get(action, action.replace("_", "-")), **fields)
            assert response.status_code == expected, (decision.status, action, name)
            decision.refresh_from_db()
            assert (decision.status, decision.revision, decision.events.count()) == before
            checked += 1
    assert checked > 30
