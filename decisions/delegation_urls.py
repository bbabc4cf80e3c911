from django.urls import path

from decisions import delegation_views

urlpatterns = [
    path("decisions/delegations/", delegation_views.delegation_list, name="delegations"),
]
