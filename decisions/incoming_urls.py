"""The incoming documents' addresses (decisions/incoming_views.py), in the decisions namespace."""

from django.urls import path

from decisions import incoming_views

urlpatterns = [
    path("incoming-register/", incoming_views.registers, name="incoming_registers"),
    path(
        "incoming-register/<id:organization_pk>/<id:year>/",
        incoming_views.book,
        name="incoming_book",
    ),
    path("incoming-register/paper/", incoming_views.register_paper, name="incoming_paper"),
    path("incoming-register/email/", incoming_views.register_email, name="incoming_email"),
    path("incoming-documents/<id:pk>/", incoming_views.detail, name="incoming_detail"),
    path("incoming-documents/<id:pk>/file/", incoming_views.document_file, name="incoming_file"),
    path("incoming-documents/<id:pk>/<slug:slug>/", incoming_views.step, name="incoming_step"),
    path("to-handle/", incoming_views.work, name="incoming_work"),
]
