"""Strings of Django's admin and auth that Django's own Vietnamese catalogue lacks.

Listed here so that `makemessages` puts them in our catalogue (locale/vi), which Django reads
before its own: the administrator's pages are then Vietnamese throughout. Never imported.
"""

from django.utils.translation import gettext_noop

STRINGS = [
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
]
