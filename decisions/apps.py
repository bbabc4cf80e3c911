from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in
        from django.urls import register_converter
        from PIL import Image

        from decisions import health, sign_in  # noqa: F401 - register their checks
        from decisions.exchange import status  # noqa: F401 - answers incoming documents
        from decisions.parsing import IdConverter

        register_converter(IdConverter, "id")
        # what a new session owes after the password: decided once per login (sign_in.py)
        user_logged_in.connect(sign_in.remember_two_factor_state, dispatch_uid="two_factor")

        # Pillow refuses to decode (DecompressionBombError) an image of more than twice this
        # many pixels, wherever it is opened; uploads are refused well before, by their header.
        Image.MAX_IMAGE_PIXELS = settings.DECISIONS_IMAGE_MAX_SIDE**2
