from django.urls import path

from decisions import public

app_name = "public"

urlpatterns = [
    path("v/<str:token>", public.verify, name="verify"),
    path("verify/", public.verify_upload, name="upload"),
    path("published/", public.published, name="published"),
    path("published/feed.atom", public.published_feed, name="feed"),
    path("pki/dev-ca.crl", public.dev_crl, name="dev_crl"),
]
