from django.urls import path

from decisions import editor_views, views

app_name = "decisions"

urlpatterns = [
    path("decisions/new/", editor_views.new_draft, name="new"),
    path("decisions/import/", editor_views.import_draft, name="import"),
    path("decisions/preview/", editor_views.preview, name="preview"),
    path("decisions/<int:pk>/edit/", editor_views.edit_draft, name="edit"),
    path("decisions/<int:pk>/", views.decision_detail, name="detail"),
    path("decisions/<int:pk>/pdf/", views.decision_pdf, name="pdf"),
    path("decisions/<int:pk>/read/", views.decision_read, name="read"),
    path("decisions/<int:pk>/pages/<int:number>.png", views.decision_page, name="page"),
    path("registers/", views.register_list, name="registers"),
    path("registers/<int:pk>/", views.register_detail, name="register"),
    path("incoming/", views.incoming, name="incoming"),
    path("performance/", views.performance, name="performance"),
    path("decisions/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("decisions/<int:pk>/publish/", views.publish, name="publish"),
    path("decisions/<int:pk>/recipients/", views.link_recipients, name="link_recipients"),
    path("decisions/<int:pk>/dispatch/", views.dispatch_list, name="dispatch"),
    path("directory/search/", views.directory_search, name="directory_search"),
    path("decisions/<int:pk>/deliveries/<int:delivery_pk>/resend/", views.resend, name="resend"),
]
