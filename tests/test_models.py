from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Block, OldSlug

from .factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_review_and_scheduled():
    live = make_article(status="published")
    make_article(status="draft")
    make_article(status="review")
    make_article(status="published", published_at=timezone.now() + timedelta(days=1))
    assert list(Article.objects.published()) == [live]


def test_scheduled_article_becomes_public_when_its_time_comes(time_machine):
    soon = timezone.now() + timedelta(hours=2)
    article = make_article(published_at=soon)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    time_machine.move_to(soon + timedelta(minutes=1))
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publishing_without_a_time_stamps_now_and_keeps_first_publication():
    article = make_article(status="draft")
    article.status = Article.Status.PUBLISHED
    article.save()
    first = article.first_published_at
    assert article.published_at is not None and first == article.published_at
    article.status = Article.Status.DRAFT
    article.save()
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now() + timedelta(days=1)
    article.save()
    assert article.first_published_at == first


def test_slugs_are_unique():
    make_article(slug="same")
    with pytest.raises(IntegrityError):
        make_article(slug="same")


def test_blocks_with_the_same_position_keep_the_order_they_were_added_in():
    article = make_article(questions=1)
    Block.objects.create(article=article, position=1, kind="paragraph", text="<p>Added later</p>")
    assert [block.kind for block in article.blocks.all()] == ["question", "paragraph", "answer"]


def test_photo_block_needs_a_photo():
    article = make_article(questions=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=article, position=1, kind="photo")
    Block.objects.create(article=article, position=1, kind="photo", photo=make_photo())


def test_question_needs_text():
    article = make_article(questions=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=article, position=1, kind="question", text="")


def test_published_article_needs_a_publication_time():
    article = make_article(status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="published", published_at=None)


def test_changing_the_slug_remembers_the_old_one():
    article = make_article(slug="old-name")
    article.slug = "new-name"
    article.save()
    assert OldSlug.objects.get(slug="old-name").article == article


@pytest.mark.parametrize(
    "dirty",
    [
        "<p>Hi<script>alert(1)</script></p>",
        '<p onclick="alert(1)">Hi</p>',
        '<p><a href="javascript:alert(1)">Hi</a></p>',
        '<p><img src=x onerror="alert(1)">Hi</p>',
    ],
)
def test_rich_text_is_sanitized_on_every_save(dirty):
    article = make_article(questions=0)
    block = Block.objects.create(article=article, position=1, kind="answer", text=dirty)
    block.refresh_from_db()
    for bad in ("script", "onclick", "javascript:", "onerror", "<img"):
        assert bad not in block.text
    assert "Hi" in block.text


def test_every_rich_text_field_is_sanitized():
    """Whatever model a rich text field sits on, hostile markup never reaches the database."""
    from django.apps import apps

    from articles.models import AuthorizationRequest, Correction, Person, Suggestion
    from articles.richtext import RichTextField

    dirty = '<p onmouseover="x()">Kept<script>alert(1)</script> <a href="javascript:x()">link</a></p>'
    article = make_article(questions=0)
    builders = {
        Block: lambda: Block.objects.create(article=article, position=1, kind="answer", text=dirty),
        Person: lambda: Person.objects.create(name="P", slug="p-sanitized", bio=dirty),
        Correction: lambda: Correction.objects.create(article=article, text=dirty),
        Suggestion: lambda: Suggestion.objects.create(
            request=AuthorizationRequest.objects.create(
                article=article, person=article.interviewees.first(), expires_at=timezone.now()
            ),
            proposed_text=dirty,
        ),
    }
    rich_fields = [
        (model, field.name)
        for model in apps.get_app_config("articles").get_models()
        for field in model._meta.fields
        if isinstance(field, RichTextField)
    ]
    assert {model for model, _ in rich_fields} == set(builders), "a new rich text field needs a case here"
    for model, name in rich_fields:
        stored = model.objects.values_list(name, flat=True).get(pk=builders[model]().pk)
        assert "Kept" in stored
        for bad in ("<script", "onmouseover", "javascript:"):
            assert bad not in stored, (model.__name__, name, stored)
