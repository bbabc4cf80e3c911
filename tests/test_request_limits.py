"""Request bodies above the limit of their URL are refused before they are read, and the
limits of nginx in front agree with the application's."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from config.middleware import limit_for

MIB = 1024 * 1024
NGINX_CONF = Path(settings.BASE_DIR) / "deploy" / "nginx-decisions.conf"


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/verify/", "/decisions/import/", "/admin/decisions/user/", "/exchange/receive/"]
)
def test_an_upload_larger_than_its_page_accepts_is_refused_with_413_before_it_is_read(client, path):
    response = client.post(
        path,
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(500 * MIB),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Tệp quá lớn" in page
    assert f"{limit_for(path) // MIB} MB" in page


@pytest.mark.django_db
def test_a_file_within_the_public_check_limit_is_read_and_checked(client):
    upload = SimpleUploadedFile("a.pdf", b"not a pdf", "application/pdf")
    response = client.post("/verify/", {"file": upload})
    assert response.status_code == 400
    assert "Đây không phải tệp PDF" in response.content.decode()


@pytest.mark.django_db
def test_an_upload_the_middleware_lets_through_is_still_measured_by_the_form(client, settings):
    # A chunked body has no Content-Length: the form's own size check is what refuses it.
    settings.DECISIONS_VERIFY_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000, "application/pdf")
    response = client.post("/verify/", {"file": upload})
    assert response.status_code == 400
    assert "Tệp quá lớn (tối đa" in response.content.decode()


def _nginx_limits() -> dict[str, int]:
    """client_max_body_size of the server block ("") and of each location, in bytes."""
    text = re.sub(r"#.*", "", NGINX_CONF.read_text())
    server = text[text.index("listen 443") :]
    limits = {}
    for match in re.finditer(r"location\s+(\S+)\s*\{([^}]*)\}", server):
        found = re.search(r"client_max_body_size\s+(\d+)m;", match.group(2))
        if found:
            limits[match.group(1)] = int(found.group(1)) * MIB
    outside = re.sub(r"location\s+\S+\s*\{[^}]*\}", "", server)
    limits[""] = int(re.findall(r"client_max_body_size\s+(\d+)m;", outside)[0]) * MIB
    return limits


def test_nginx_accepts_exactly_the_request_sizes_the_application_accepts():
    assert _nginx_limits() == settings.DECISIONS_REQUEST_MAX_BYTES


def test_the_size_limit_middleware_comes_before_anything_that_reads_the_body():
    assert settings.MIDDLEWARE[0] == "config.middleware.RequestSizeLimitMiddleware"


def test_a_whole_draft_at_its_largest_fits_in_djangos_form_limits():
    # 300,000 Vietnamese characters URL-encoded take at most 9 bytes each.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= settings.DECISIONS_DRAFT_MAX_CHARACTERS * 9
    assert settings.DECISIONS_REQUEST_MAX_BYTES[""] > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
