from django.urls import path

from . import views

app_name = "curated"

urlpatterns = [
    path("collections/", views.collection_index, name="collection_index"),
    path("collections/<slug:slug>/", views.collection_detail, name="collection"),
    path("collections/<slug:slug>/training-pack.zip", views.training_pack, name="training_pack"),
    # Framable, like a story's embed (stories.embedding).
    path("embed/collections/<slug:slug>/", views.embed_collection, name="embed_collection"),
]
