"""Signature and seal images are refused when too large, in bytes or in pixels, from their
header alone: nothing huge is ever decoded, at upload or at signing."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions.models import validate_transparent_png
from decisions.signing import dev_images, documents
from tests.factories import UserFactory


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width` × `height` RGBA pixels (its pixels are never there)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(20_000, 20_000), (12_000, 12_000), (4_001, 300)])
def test_an_image_with_too_many_pixels_is_refused_with_a_field_message(size):
    with pytest.raises(ValidationError) as refused:
        validate_transparent_png(SimpleUploadedFile("big.png", png_header(*size)))
    assert refused.value.code == "too_many_pixels"
    assert "4000 × 4000" in refused.value.messages[0]


def test_an_image_of_too_many_bytes_is_refused_before_it_is_opened(settings):
    settings.DECISIONS_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        validate_transparent_png(SimpleUploadedFile("heavy.png", b"\0" * 1001))
    assert refused.value.code == "too_large"


def test_a_real_seal_of_ordinary_size_is_accepted():
    validate_transparent_png(SimpleUploadedFile("seal.png", dev_images.seal("UBND", "UBND")))


@pytest.mark.django_db
def test_signing_refuses_a_stored_image_that_is_too_large_without_decoding_it():
    leader = UserFactory()
    leader.signature_image.save("huge.png", ContentFile(png_header(12_000, 12_000)))
    with pytest.raises(ValidationError) as refused:
        documents.image_of(leader.signature_image, "missing")
    assert refused.value.code == "bad_image"
    assert "4000 × 4000" in refused.value.messages[0]


@pytest.mark.django_db
def test_the_admin_answers_a_huge_signature_image_with_a_form_error_not_a_crash(admin_client):
    from decisions.models import User

    person = UserFactory()
    url = f"/admin/decisions/user/{person.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data["signature_image"] = SimpleUploadedFile("huge.png", png_header(20_000, 20_000))
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "4000 × 4000" in response.content.decode()
    assert not User.objects.get(pk=person.pk).signature_image
