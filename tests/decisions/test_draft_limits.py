"""A draft larger than any real decision is refused with the limit named, whether it comes
from the editor, pasted text or `import_decision`; nothing is saved or rendered."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from decisions.content import Annex, Article, RecipientEntry, check_size, validate_content
from decisions.importer import decode, parse_decision_text
from decisions.models import Decision
from tests.decisions.test_editor import editor_post
from tests.decisions.test_importer import SEED_000
from tests.decisions.test_real_texts import REAL
from tests.factories import DocumentTypeFactory

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_more_articles_than_the_limit_are_refused_naming_the_limit(issuer, make_content):
    articles = [Article(text=f"Nội dung {n}.") for n in range(201)]
    with pytest.raises(ValidationError) as refused:
        validate_content(make_content(articles=articles), issuer=issuer)
    assert "Quá nhiều điều: 201, tối đa 200." in messages_of(refused.value)


def test_more_annexes_or_recipients_than_the_limits_are_refused(issuer, make_content):
    content = make_content(
        annexes=[Annex(title=f"Phụ lục {n}") for n in range(31)],
        recipients=[RecipientEntry(f"Sở {n}") for n in range(201)] + [RecipientEntry("Lưu: VT")],
    )
    with pytest.raises(ValidationError) as refused:
        validate_content(content, issuer=issuer)
    text = messages_of(refused.value)
    assert "Quá nhiều phụ lục: 31, tối đa 30." in text
    assert "Quá nhiều nơi nhận: 202, tối đa 200." in text


def test_a_draft_longer_than_the_limit_in_characters_is_refused(make_content):
    long_annexes = [Annex(title=f"Phụ lục {n}", text="Bảng kê. " * 11_000) for n in range(4)]
    content = make_content(annexes=long_annexes)
    assert content.characters() > 300_000
    with pytest.raises(ValidationError) as refused:
        check_size(content)
    assert "Quyết định quá dài" in messages_of(refused.value)
    assert "tối đa 300000 ký tự" in messages_of(refused.value)


def test_every_real_decision_is_well_within_the_limits(make_content):
    make_content()  # the QĐ document type
    for path in sorted(REAL.glob("*.txt")):
        parsed = parse_decision_text(decode(path.read_bytes()))
        assert len(parsed.articles) < 200 / 4, path.name


def test_the_editor_refuses_too_many_articles_and_saves_nothing(client, specialist, issuer):
    client.force_login(specialist)
    data = editor_post(issuer, DocumentTypeFactory.create())
    for n in range(3, 201):
        data[f"articles-{n}-text"] = f"Nội dung điều {n + 1}."
    response = client.post("/decisions/new/", data)
    assert response.status_code == 400
    assert "Quá nhiều điều: 201, tối đa 200." in response.content.decode()
    assert not Decision.objects.exists()


def test_the_live_preview_refuses_a_draft_over_the_limits(client, specialist, issuer, settings):
    settings.DECISIONS_DRAFT_MAX_ARTICLES = 2
    client.force_login(specialist)
    response = client.post("/decisions/preview/", editor_post(issuer, DocumentTypeFactory.create()))
    assert response.status_code == 400
    assert "Quá nhiều điều: 3, tối đa 2." in response.content.decode()


def test_pasted_text_over_the_limits_is_refused_before_it_is_opened(
    client, specialist, issuer, make_content, settings
):
    make_content()  # the QĐ document type
    settings.DECISIONS_DRAFT_MAX_CHARACTERS = 500
    client.force_login(specialist)
    text = SEED_000.read_text()
    response = client.post("/decisions/import/", {"issuer": issuer.pk, "text": text})
    assert response.status_code == 400
    assert "tối đa 500 ký tự" in response.content.decode()


def test_import_decision_refuses_a_text_over_the_limits_and_saves_nothing(
    specialist, make_content, settings
):
    make_content()  # the QĐ document type
    settings.DECISIONS_DRAFT_MAX_ARTICLES = 2
    with pytest.raises(CommandError, match=r"Quá nhiều điều: 3, tối đa 2\."):
        call_command(
            "import_decision",
            str(SEED_000),
            "--save",
            "--issuer",
            "giong-rieng",
            "--as",
            "specialist",
            stdout=StringIO(),
        )
    assert not Decision.objects.exists()
