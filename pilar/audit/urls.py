from django.urls import path

from pilar.audit import views

app_name = "audit"

urlpatterns = [
    path("akses/", views.access_log, name="access-log"),
    path("akses/unduh.<str:export_format>", views.access_log_export, name="access-log-export"),
]
