from django.urls import path

from decisions import views

app_name = "decisions"

urlpatterns = [
    path("decisions/<int:pk>/", views.decision_detail, name="detail"),
    path("decisions/<int:pk>/pdf/", views.decision_pdf, name="pdf"),
    path("registers/", views.register_list, name="registers"),
    path("registers/<int:pk>/", views.register_detail, name="register"),
    path("incoming/", views.incoming, name="incoming"),
    path("decisions/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("decisions/<int:pk>/publish/", views.publish, name="publish"),
    path("decisions/<int:pk>/recipients/", views.link_recipients, name="link_recipients"),
    path("decisions/<int:pk>/deliveries/<int:delivery_pk>/resend/", views.resend, name="resend"),
]
