from django.urls import path

from workflow import views

app_name = "workflow"

urlpatterns = [
    path("decisions/<int:pk>/submit/", views.submit, name="submit"),
    path("decisions/<int:pk>/check/", views.check, name="check"),
    path("decisions/<int:pk>/propose/", views.propose, name="propose"),
    path("decisions/<int:pk>/return/", views.return_, name="return"),
    path("decisions/<int:pk>/review/", views.review, name="review"),
    path("decisions/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("decisions/<int:pk>/sign/", views.sign, name="sign"),
    path("decisions/<int:pk>/issue/", views.issue, name="issue"),
    path("decisions/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("decisions/<int:pk>/void/", views.void, name="void"),
    path("decisions/<int:pk>/recall/", views.recall, name="recall"),
]
