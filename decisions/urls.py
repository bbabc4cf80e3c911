from django.urls import include, path

from decisions import editor_views, views

app_name = "decisions"

urlpatterns = [
    path("decisions/new/", editor_views.new_draft, name="new"),
    path("decisions/import/", editor_views.import_draft, name="import"),
    path("decisions/preview/", editor_views.preview, name="preview"),
    path("decisions/<id:pk>/edit/", editor_views.edit_draft, name="edit"),
    path("decisions/<id:pk>/", views.decision_detail, name="detail"),
    path("decisions/<id:pk>/pdf/", views.decision_pdf, name="pdf"),
    path("decisions/<id:pk>/read/", views.decision_read, name="read"),
    path("decisions/<id:pk>/pages/<id:number>.png", views.decision_page, name="page"),
    path("registers/", views.register_list, name="registers"),
    path("registers/<id:pk>/", views.register_detail, name="register"),
    path("incoming/", views.incoming, name="incoming"),
    path("", include("decisions.incoming_urls")),  # incoming register: decisions/incoming_views.py
    path("performance/", views.performance, name="performance"),
    path("decisions/<id:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("decisions/<id:pk>/publish/", views.publish, name="publish"),
    path("decisions/<id:pk>/recipients/", views.link_recipients, name="link_recipients"),
    path("decisions/<id:pk>/dispatch/", views.dispatch_list, name="dispatch"),
    path("directory/search/", views.directory_search, name="directory_search"),
    path("decisions/<id:pk>/deliveries/<id:delivery_pk>/resend/", views.resend, name="resend"),
    path("", include("decisions.exchange.urls")),  # edXML packages (QCVN 102:2016)
    path("", include("decisions.delegation_urls")),  # delegated signatures (TL., TUQ., Q.)
    path("", include("decisions.docx_urls")),  # Word files (.docx)
    path("", include("decisions.template_urls")),  # templates of common decisions
]
