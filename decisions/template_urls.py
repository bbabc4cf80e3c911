from django.urls import path

from decisions import template_views

urlpatterns = [
    path(
        "decisions/new/from-template/", template_views.new_from_template, name="new_from_template"
    ),
    path("decisions/<id:pk>/save-as-template/", template_views.save_template, name="save_template"),
]
