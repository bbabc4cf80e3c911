"""The project's URLs plus a view that fails, for the error page tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as project


def explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


handler403 = project.handler403
urlpatterns = [path("explode/", explode), *project.urlpatterns]
