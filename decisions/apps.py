from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        from decisions import health  # noqa: F401 - registers the deployment checks

        # Pillow refuses to decode (DecompressionBombError) an image of more than twice this
        # many pixels, wherever it is opened; uploads are refused well before, by their header.
        Image.MAX_IMAGE_PIXELS = settings.DECISIONS_IMAGE_MAX_SIDE**2
