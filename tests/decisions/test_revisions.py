"""The changes between two rounds, as the checker reads them on the decision's page."""

import re

import pytest

from decisions import revisions, services
from decisions.content import Article, Clause, RecipientEntry

pytestmark = pytest.mark.django_db


def articles(*points: str) -> list[Article]:
    return [
        Article(
            text="Ban hành mục tiêu chất lượng như sau:",
            clauses=[Clause("Giảm sai sót:", list(points))],
        ),
        Article(text="Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này."),
    ]


RECIPIENTS = [RecipientEntry("Như Điều 2"), RecipientEntry("Sở Tư pháp"), RecipientEntry("Lưu: VT")]
CHANGED = [
    RecipientEntry("Như Điều 2"),
    RecipientEntry("Sở Tư pháp tỉnh An Giang"),
    RecipientEntry("Lưu: VT"),
]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_a_point_added_in_the_middle_is_one_addition_and_the_next_point_is_unchanged(make_content):
    old = make_content(articles=articles("Thủ tục hành chính;", "Hồ sơ."), recipients=RECIPIENTS)
    new = make_content(
        articles=articles("Thủ tục hành chính;", "Văn bản đi;", "Hồ sơ."), recipients=RECIPIENTS
    )
    changes = revisions.changes_between(old.snapshot(), new.snapshot())
    assert [(c.section, c.kind, text_of(c.html)) for c in changes] == [
        ("Điều 1, khoản 1, điểm b", "added", "Văn bản đi;")
    ]
    assert changes[0].html == "<ins>Văn bản đi;</ins>"


def test_a_changed_nơi_nhận_line_is_marked_word_by_word_on_that_line_only(make_content):
    old = make_content(recipients=RECIPIENTS)
    new = make_content(recipients=CHANGED)
    (change,) = revisions.changes_between(old.snapshot(), new.snapshot())
    assert (change.section, change.kind) == ("Nơi nhận", "changed")
    assert change.html == "- Sở Tư pháp <ins>tỉnh An Giang</ins>;"


def test_typed_end_punctuation_alone_is_no_change(make_content):
    old = make_content(legal_bases=["Căn cứ Luật Tổ chức chính quyền địa phương"])
    new = make_content(legal_bases=["Căn cứ Luật Tổ chức chính quyền địa phương;;"])
    assert revisions.changes_between(old.snapshot(), new.snapshot()) == []


def test_the_checker_sees_round_2s_changes_on_the_decision_page(
    act, issuer, specialist, chief_of_office, make_content, client
):
    content = make_content(
        articles=articles("Thủ tục hành chính;", "Hồ sơ."), recipients=RECIPIENTS
    )
    decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
    assert act(specialist, decision, "submit").status_code == 302
    assert (
        act(chief_of_office, decision, "return", reason="Thêm điểm; sửa Nơi nhận").status_code
        == 302
    )
    decision.refresh_from_db()
    content.articles = articles("Thủ tục hành chính;", "Văn bản đi;", "Hồ sơ.")
    content.recipients = CHANGED
    services.update_draft(actor=specialist, decision=decision, content=content)
    assert act(specialist, decision, "submit").status_code == 302

    client.force_login(chief_of_office)
    page = client.get(decision.get_absolute_url()).content.decode()
    section = page[page.index('class="card changes"') :]
    section = section[: section.index("</section>")]
    assert "Thay đổi từ vòng 1 sang vòng 2" in section
    assert "Điều 1, khoản 1, điểm b" in section
    assert "<ins>Văn bản đi;</ins>" in section
    assert "- Sở Tư pháp <ins>tỉnh An Giang</ins>;" in section
    assert section.count("<h3>") == 2  # nothing else marked as changed
