from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("interviews/<slug:slug>/", views.article_detail, name="detail"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
]
