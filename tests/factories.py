"""factory_boy factories: bodies, people, document types, registers."""

import factory

from decisions.models import DocumentType, Organization, Register, Sector, User


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ubnd-{n}")
    name = factory.Sequence(lambda n: f"ỦY BAN NHÂN DÂN\nXÃ THỬ NGHIỆM {n}")
    abbreviation = "UBND"
    place_name = "Thử Nghiệm"
    level = Organization.Level.COMMUNE
    is_issuer = True
    collective_name = "ỦY BAN NHÂN DÂN"
    head_title = "CHỦ TỊCH"


class SectorFactory(factory.django.DjangoModelFactory[Sector]):
    class Meta:
        model = Sector

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805 - factory_boy hook
        if create:
            obj.save()


class DocumentTypeFactory(factory.django.DjangoModelFactory[DocumentType]):
    class Meta:
        model = DocumentType
        django_get_or_create = ("name",)  # "QĐ" is also the legal normative type's

    name = "Quyết định"
    abbreviation = "QĐ"
    series = "QĐ"


class RegisterFactory(factory.django.DjangoModelFactory[Register]):
    class Meta:
        model = Register

    issuer = factory.SubFactory(OrganizationFactory)
    series = "QĐ"
    year = 2026
