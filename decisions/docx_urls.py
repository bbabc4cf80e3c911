from django.urls import path

from decisions import docx_views

urlpatterns = [
    path("decisions/<id:pk>/docx/", docx_views.decision_docx, name="docx"),
]
