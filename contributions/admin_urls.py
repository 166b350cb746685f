"""The contributor side's admin screens, under /admin/share-with-someone/ (assisted sharing)."""

from django.urls import path

from .views import assisted

app_name = "contributions_assisted"

urlpatterns = [
    path("", assisted.choose_way, name="choose"),
    path("done/", assisted.done, name="done"),
    path("card/", assisted.card, name="card"),
    path("<slug:way>/", assisted.share_with_someone_view, name="share"),
]
