from django.urls import path

from . import views

app_name = "transcription"

urlpatterns = [
    path("captions/<int:page_id>.vtt", views.captions, name="captions"),
]
