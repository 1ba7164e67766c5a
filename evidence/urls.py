from django.urls import path

from evidence import serving, video_views

app_name = "evidence"

urlpatterns = [
    # A stand-in for the attachments branch's file view (evidence/serving.py).
    path("files/<uuid:code>/", serving.attachment_file, name="file"),
    # --- Video review: a shared video and its comments (evidence/video_views.py)
    path("videos/<uuid:code>/", video_views.video_review, name="video"),
]
