from django.urls import path

from workflow import views

app_name = "workflow"

urlpatterns = [
    # One URL for every step of the lifecycle table that the page offers as a form.
    path("decisions/<id:pk>/<slug:slug>/", views.step, name="step"),
]
