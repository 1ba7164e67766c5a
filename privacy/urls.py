from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("my-data.json", views.my_data_json, name="my_data_json"),
    path("my-data.zip", views.my_data_csv, name="my_data_csv"),
    path("anonymize/", views.anonymize, name="anonymize"),
]
