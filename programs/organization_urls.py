"""The administrator's organizations (programs/views/organizations.py): the `organizations`
namespace."""

from django.urls import path

from programs.views import organizations

app_name = "organizations"

urlpatterns = [
    path("", organizations.organization_list, name="list"),
    path("new/", organizations.organization_create, name="create"),
    path("<uuid:code>/edit/", organizations.organization_edit, name="edit"),
    path("<uuid:code>/archive/", organizations.organization_archive, name="archive"),
    path("<uuid:code>/leaders/", organizations.organization_leaders, name="leaders"),
]
