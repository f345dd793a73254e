from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from .models import Article, Person


def home(request):
    articles = Article.objects.published()[:20]
    return render(request, "articles/home.html", {"articles": articles})


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return render(request, "articles/article_detail.html", {"article": article})


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    return render(request, "articles/person_detail.html", {"person": person})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return render(request, "articles/tag_detail.html", {"tag": tag})
