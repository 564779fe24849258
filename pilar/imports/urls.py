from django.urls import path

from pilar.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.upload_start, name="upload-start"),
    path("<int:upload_id>/", views.upload_detail, name="upload-detail"),
    path("<int:upload_id>/impor/", views.upload_confirm, name="upload-confirm"),
    path("<int:upload_id>/galat.xlsx", views.upload_errors, name="upload-errors"),
    path("templat/<str:kind>.xlsx", views.template_download, name="template"),
]
