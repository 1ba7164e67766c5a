from django.urls import path

from evidence import video_views, views

app_name = "evidence"

urlpatterns = [
    path("visits/<uuid:code>/attach/", views.attach_to_visit, name="attach_to_visit"),
    path("goals/<uuid:code>/attach/", views.attach_to_goal, name="attach_to_goal"),
    path(
        "progress/<uuid:code>/attach/",
        views.attach_to_progress_entry,
        name="attach_to_progress_entry",
    ),
    path("files/<uuid:code>/", views.attachment_file, name="file"),
    path("files/<uuid:code>/thumbnail/", views.attachment_thumbnail, name="thumbnail"),
    path("files/<uuid:code>/delete/", views.attachment_delete, name="delete"),
    # --- Video review: a shared video and its comments (evidence/video_views.py)
    path("videos/<uuid:code>/", video_views.video_review, name="video"),
]
