from django.urls import path

from pilar.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.region_index, name="index"),
    path("<region_code:code>/", views.region_detail, name="detail"),
]
