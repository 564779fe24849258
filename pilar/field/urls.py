from django.urls import path

from pilar.field import views

urlpatterns = [
    path("lapangan/", views.app, name="field-app"),
    path("lapangan/manifest.webmanifest", views.manifest, name="field-manifest"),
    path("sw.js", views.service_worker, name="field-worker"),
]
