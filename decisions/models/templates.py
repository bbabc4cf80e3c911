"""Templates of common decisions (mẫu quyết định): a body's starting texts for the editor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from decisions.models.organisations import Organization


class DecisionTemplate(models.Model):
    """A starting text that a body keeps for decisions it issues often (appointment, award,
    a working group, approving a plan). `content` has the draft's shape
    (`DraftContent.snapshot()`, without directory links); placeholders such as "[họ và tên]"
    are left for the drafter, and the editor refuses to save a draft that still holds one."""

    body = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="decision_templates",
        verbose_name=_("issuing body"),
    )
    name = models.CharField(_("name"), max_length=200)
    content = models.JSONField(_("content"), default=dict)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("decision template")
        verbose_name_plural = _("decision templates")
        ordering = ["body", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="unique_template_name_per_body")
        ]

    def __str__(self) -> str:
        return self.name
