"""Static files for production: whitenoise's compressed, hashed copies of what our pages use.

Some packages ship stylesheets that name files they do not include (viewflow's
`roboto-fontface.css` names `Roboto-Thin.woff2`, for instance); Django's manifest storage then
stops `collectstatic` with MissingFileError. Such a reference is left as it is written (it was
already broken in the package); every file that exists is hashed as usual.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is not None or self.exists(self.clean_name(name)):
                raise  # a real file that could not be hashed is an error
            return name


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's finder, without the static files of apps whose own pages we never serve:
    viewflow's UI (49 MB of scripts, styles and fonts) and django-filters' widgets. Our pages
    and the admin need none of them; leaving them out keeps `collectstatic` fast and small."""

    IGNORED_APPS = ("viewflow", "viewflow.workflow", "django_filters")

    def __init__(self, app_names: Any = None, *args: Any, **kwargs: Any) -> None:
        if app_names is None:
            app_names = [
                config.name
                for config in apps.get_app_configs()
                if config.name not in self.IGNORED_APPS
            ]
        super().__init__(app_names, *args, **kwargs)
