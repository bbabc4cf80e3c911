"""The demo's templates of common decisions, for each issuing body of the demo: appointment
(bổ nhiệm), award (khen thưởng), setting up a working group (thành lập tổ công tác) and
approving a plan (phê duyệt kế hoạch). Blanks are in square brackets ("[họ và tên]"): the
editor refuses to save a draft that still holds one. Statutory wording, not translated."""

from __future__ import annotations

from typing import Any

from decisions.models import Decision, DecisionTemplate, Organization

LOCAL_GOVERNMENT_LAW = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"


def _article(text: str = "", title: str | None = None, **rest: Any) -> dict[str, Any]:
    return {"text": text, "title": title, "clauses": rest.get("clauses", []), "closing": ""}


def _clause(text: str, *points: str) -> dict[str, Any]:
    return {"text": text, "points": list(points)}


def templates_for(body: Organization) -> dict[str, dict[str, Any]]:
    """The four templates of `body`, by name, in the draft's JSON shape."""
    province = body.level == Organization.Level.PROVINCE
    unit = "tỉnh" if province else "huyện"
    head = f"{body.head_title} {body.one_line_name}"
    office = "Văn phòng Ủy ban nhân dân tỉnh" if province else "Văn phòng HĐND và UBND huyện"
    home_affairs = "Sở Nội vụ" if province else "Phòng Nội vụ huyện"
    finance = "Sở Tài chính" if province else "Phòng Tài chính - Kế hoạch huyện"
    award = "Bằng khen" if province else "Giấy khen"
    chair = f"Chủ tịch Ủy ban nhân dân {unit}"
    executors = f"Chánh {office}, {'Giám đốc ' if province else 'Trưởng '}{home_affairs}"
    individual = {"document_type": "QĐ", "authority": Decision.Authority.INDIVIDUAL}
    common = {"urgency": "", "confidentiality": "", "annexes": []}
    return {
        "Bổ nhiệm cán bộ": {
            **individual,
            **common,
            "authority_line": head,
            "subject": "Về việc bổ nhiệm [chức vụ được bổ nhiệm]",
            "legal_bases": [
                LOCAL_GOVERNMENT_LAW,
                "Căn cứ Nghị định số 138/2020/NĐ-CP ngày 27 tháng 11 năm 2020 của Chính phủ quy "
                "định về tuyển dụng, sử dụng và quản lý công chức",
                "Căn cứ Quy định về phân cấp quản lý cán bộ của [cơ quan ban hành quy định]",
            ],
            "proposer": f"Theo đề nghị của {'Giám đốc ' if province else 'Trưởng '}"
            f"{home_affairs} tại Tờ trình số [số tờ trình] ngày [ngày tháng năm]",
            "articles": [
                _article(
                    "Bổ nhiệm ông (bà) [họ và tên], [chức vụ, đơn vị công tác hiện tại], giữ "
                    "chức vụ [chức vụ được bổ nhiệm]. Thời hạn giữ chức vụ là 05 năm, kể từ "
                    "ngày Quyết định này có hiệu lực."
                ),
                _article(
                    "Ông (bà) [họ và tên] được hưởng phụ cấp chức vụ theo quy định hiện hành."
                ),
                _article(
                    "Quyết định này có hiệu lực kể từ ngày ký.\n"
                    f"{executors}, Thủ trưởng [cơ quan, đơn vị] và ông (bà) [họ và tên] chịu "
                    "trách nhiệm thi hành Quyết định này."
                ),
            ],
            "recipients": [
                {"text": "Như Điều 3"},
                {"text": f"{chair}, các Phó Chủ tịch"},
                {"text": "Lưu: VT, NV"},
            ],
        },
        "Khen thưởng": {
            **individual,
            **common,
            "authority_line": head,
            "subject": f"Về việc tặng {award} cho [tập thể, cá nhân]",
            "legal_bases": [
                LOCAL_GOVERNMENT_LAW,
                "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
                "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy "
                "định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
            ],
            "proposer": f"Theo đề nghị của {'Giám đốc ' if province else 'Trưởng '}{home_affairs}",
            "articles": [
                _article(
                    f"Tặng {award} của {chair} cho [tập thể, cá nhân] đã có thành tích "
                    "[nội dung thành tích] trong [thời gian, phong trào thi đua]."
                ),
                _article(
                    f"Kèm theo {award} được thưởng mức tiền theo quy định hiện hành; kinh phí "
                    "khen thưởng chi từ Quỹ thi đua, khen thưởng của "
                    f"{'tỉnh' if province else 'huyện'}."
                ),
                _article(
                    "Quyết định này có hiệu lực kể từ ngày ký.\n"
                    f"{executors}, Thủ trưởng {finance} và [tập thể, cá "
                    "nhân] có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
                ),
            ],
            "recipients": [
                {"text": "Như Điều 3"},
                {"text": f"Hội đồng Thi đua - Khen thưởng {unit}"},
                {"text": "Lưu: VT, NV"},
            ],
        },
        "Thành lập tổ công tác": {
            **individual,
            **common,
            "authority_line": head,
            "subject": "Về việc thành lập Tổ công tác [tên nhiệm vụ]",
            "legal_bases": [
                LOCAL_GOVERNMENT_LAW,
                "Căn cứ [văn bản giao nhiệm vụ]",
            ],
            "proposer": f"Theo đề nghị của Chánh {office}",
            "articles": [
                _article(
                    "Thành lập Tổ công tác [tên nhiệm vụ] (sau đây gọi là Tổ công tác), gồm các "
                    "thành viên sau:",
                    clauses=[
                        _clause("Tổ trưởng: ông (bà) [họ và tên], [chức vụ, đơn vị];"),
                        _clause("Tổ phó: ông (bà) [họ và tên], [chức vụ, đơn vị];"),
                        _clause(
                            "Các thành viên:",
                            "ông (bà) [họ và tên], [chức vụ, đơn vị];",
                            "ông (bà) [họ và tên], [chức vụ, đơn vị].",
                        ),
                    ],
                ),
                _article(
                    "Nhiệm vụ của Tổ công tác:",
                    clauses=[
                        _clause("[nhiệm vụ thứ nhất];"),
                        _clause(
                            f"Báo cáo {chair} kết quả thực hiện nhiệm vụ trước ngày "
                            "[ngày tháng năm]."
                        ),
                    ],
                    closing="Tổ công tác tự giải thể sau khi hoàn thành nhiệm vụ.",
                ),
                _article(
                    "Quyết định này có hiệu lực kể từ ngày ký.\n"
                    f"Chánh {office}, Thủ trưởng các cơ quan, đơn vị có liên quan và các ông "
                    "(bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
                ),
            ],
            "recipients": [
                {"text": "Như Điều 3"},
                {"text": f"{chair}, các Phó Chủ tịch"},
                {"text": "Lưu: VT"},
            ],
        },
        "Phê duyệt kế hoạch": {
            "document_type": "QĐ",
            "authority": Decision.Authority.COLLECTIVE,
            **common,
            "authority_line": body.collective_authority_line,
            "subject": "Về việc phê duyệt Kế hoạch [tên kế hoạch] năm [năm]",
            "legal_bases": [
                LOCAL_GOVERNMENT_LAW,
                "Căn cứ [văn bản của cấp trên làm căn cứ xây dựng kế hoạch]",
            ],
            "proposer": "Theo đề nghị của [cơ quan chủ trì xây dựng kế hoạch] tại Tờ trình số "
            "[số tờ trình] ngày [ngày tháng năm]",
            "articles": [
                _article("Phê duyệt Kế hoạch [tên kế hoạch] năm [năm] kèm theo Quyết định này."),
                _article(
                    "Giao [cơ quan chủ trì] chủ trì, phối hợp với các cơ quan, đơn vị có liên "
                    "quan tổ chức thực hiện Kế hoạch; định kỳ báo cáo kết quả về Ủy ban nhân dân "
                    f"{unit}."
                ),
                _article(
                    "Quyết định này có hiệu lực kể từ ngày ký.\n"
                    f"Chánh {office}, Thủ trưởng [cơ quan chủ trì] và các cơ quan, đơn vị có "
                    "liên quan chịu trách nhiệm thi hành Quyết định này."
                ),
            ],
            "recipients": [
                {"text": "Như Điều 3"},
                {"text": f"{chair}, các Phó Chủ tịch"},
                {"text": "Lưu: VT"},
            ],
        },
    }


def load_templates(bodies: list[Organization]) -> None:
    """Create the demo templates that are missing (an edited one is kept)."""
    for body in bodies:
        for name, content in templates_for(body).items():
            DecisionTemplate.objects.get_or_create(
                body=body, name=name, defaults={"content": content}
            )
