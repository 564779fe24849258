from django.urls import path

from pilar.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="export-list"),
    path("<int:export_id>/", views.export_detail, name="export-detail"),
    path("<int:export_id>/berkas/", views.export_file, name="export-file"),
]
