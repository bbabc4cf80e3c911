"""The flow's process: a viewflow proxy whose artifact is the Decision.

Domain data lives on the Decision; the flow routes on its status, so the process stores no
flags of its own (nothing to drift out of step with the domain).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from decisions.models import Decision


class DecisionProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("decision process")
        verbose_name_plural = _("decision processes")

    @property
    def decision(self) -> Decision:
        artifact = self.artifact
        assert isinstance(artifact, Decision)  # noqa: S101 - the flow only ever sets a Decision
        return artifact
