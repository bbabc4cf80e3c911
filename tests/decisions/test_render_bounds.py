"""A draft's PDF is rendered once per content, whoever views it and however often; a render
that takes too long is stopped and the person is told, nothing changed."""

import pytest
from django.core.files.storage import default_storage

from decisions import rendering, selectors, services
from decisions.models import Decision
from tests.conftest import PIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """How many times a PDF was laid out (a spy: the real render still runs). Starts with no
    cached draft (ids are reused from one test to the next, the files stay)."""
    folder = rendering.DRAFT_CACHE_DIR
    if default_storage.exists(folder):
        for sub in default_storage.listdir(folder)[0]:
            for name in default_storage.listdir(f"{folder}/{sub}")[1]:
                default_storage.delete(f"{folder}/{sub}/{name}")
    calls = []
    real = rendering.render

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(rendering, "render", counting)
    return calls


def test_viewing_a_draft_again_does_not_render_it_again_and_an_edit_renders_anew(
    client, specialist, draft, make_content, renders
):
    client.force_login(specialist)
    first = client.get(f"/decisions/{draft.pk}/pdf/")
    second = client.get(f"/decisions/{draft.pk}/pdf/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert client.get(f"/decisions/{draft.pk}/read/").status_code == 200  # the phone view too
    assert len(renders) == 1

    services.update_draft(
        actor=specialist, decision=draft, content=make_content(subject="Về việc khác hẳn")
    )
    third = client.get(f"/decisions/{draft.pk}/pdf/")
    assert third.content != first.content
    assert len(renders) == 2
    # only the latest render of a decision is kept
    assert len(default_storage.listdir(f"{rendering.DRAFT_CACHE_DIR}/{draft.pk}")[1]) == 1


def test_the_cache_key_follows_what_is_printed_not_when_it_was_saved(
    draft, specialist, make_content
):
    before = rendering.content_key(selectors.pdf_context(draft))
    services.update_draft(actor=specialist, decision=draft, content=make_content())  # saved again
    assert rendering.content_key(selectors.pdf_context(draft)) == before
    services.update_draft(
        actor=specialist, decision=draft, content=make_content(proposer="Theo đề nghị của Sở")
    )
    assert rendering.content_key(selectors.pdf_context(draft)) != before


def test_a_render_longer_than_the_timeout_is_stopped_with_a_clear_503_page(
    client, specialist, draft, settings
):
    settings.DECISIONS_RENDER_TIMEOUT = 0.01
    client.force_login(specialist)
    response = client.get(f"/decisions/{draft.pk}/pdf/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Tạo văn bản quá lâu" in page
    key = rendering.content_key(selectors.pdf_context(draft))
    assert not default_storage.exists(f"{rendering.DRAFT_CACHE_DIR}/{draft.pk}/{key}.pdf")


def test_a_signature_whose_render_times_out_changes_nothing(chair, draft, settings):
    Decision.objects.filter(pk=draft.pk).update(status=Decision.Status.SIGNATURE, signer=chair)
    settings.DECISIONS_RENDER_TIMEOUT = 0.01
    with pytest.raises(rendering.RenderTimeout):
        services.sign_decision(actor=chair, decision=draft, pin=PIN)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.SIGNATURE
    assert not draft.signed_pdf


def test_a_render_within_the_timeout_runs_in_a_child_and_returns_the_same_pdf(draft, settings):
    doc = selectors.pdf_context(draft)
    settings.DECISIONS_RENDER_TIMEOUT = 0
    in_process = rendering.render(doc, created=draft.created_at)
    settings.DECISIONS_RENDER_TIMEOUT = 60
    in_child = rendering.render(doc, created=draft.created_at)
    assert in_child.pdf[:5] == b"%PDF-"
    assert len(in_child.pdf) == len(in_process.pdf)
