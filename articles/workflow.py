"""The editorial workflow: who may do what, and what an interview needs to go out.

Contributors draft and submit for review; editors (with the
``articles.publish_article`` permission) publish, unpublish and schedule.
The admin asks these functions; the model's ``publish()`` enforces the checks
so that no path (form, bulk action, shell) publishes an incomplete interview.
"""

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from . import authorization
from .models import Article, Correction, Person
from .richtext import plain_text

PUBLISHED = "published"

# What the pre-publish check counts, in the words editors see.
ANSWERED_QUESTION = (
    "at least one question with its answer (an Answer block after a Question; "
    "Paragraphs are narration and do not count)"
)
A_PHOTO = "a photo, as the lead photo or in the body (social networks and feeds show it)"


class PublishRefused(ValidationError):
    """Publishing was refused; ``problems`` lists everything missing."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(refusal_message(problems), code="incomplete")


def refusal_message(problems):
    return "This interview cannot be published yet. It still needs: " + "; ".join(problems) + "."


def publish_problems(article, *, blocks=None, authors=None, interviewees=None):
    """Everything that stops ``article`` from going out, as phrases for one message.

    Empty when the interview is ready. Blocks, authors and interviewees come
    from the database unless given: the admin passes the rows being saved in
    the same form, so that the check sees the interview as submitted.
    ``authors`` and ``interviewees`` are counts.
    """
    saved = article.pk is not None
    if blocks is None:
        blocks = list(article.blocks.select_related("photo")) if saved else []
    if authors is None:
        authors = article.author_links.count() if saved else 0
    if interviewees is None:
        interviewees = article.interviewee_links.count() if saved else 0

    problems = []
    if not article.title.strip():
        problems.append("a title")
    # Plain text: a standfirst that mentions <something> is not markup.
    if not article.standfirst.strip():
        problems.append("a standfirst")
    if not _has_answered_question(blocks):
        problems.append(ANSWERED_QUESTION)
    # Each photo shown, with the credit readers see next to it (a body block's own credit wins).
    photos = []
    if article.lead_photo_id is not None:
        photos.append((article.lead_photo, article.lead_photo.credit))
    elif not any(block.kind == "photo" and block.photo_id for block in blocks):
        # The lead photo is optional: the body's first photo stands for the interview then.
        problems.append(A_PHOTO)
    for block in _in_order(blocks):
        if block.kind != "photo":
            continue
        if block.photo_id is None:
            problems.append(f"the photo for the slot “{_slot_label(block)}”")
        else:
            photos.append((block.photo, block.credit or block.photo.credit))
    for photo, credit in photos:
        if not photo.alt_text.strip():
            problems.append(f"alt text on the photo “{photo}”")
        if not credit.strip():
            problems.append(f"a credit on the photo “{photo}”")
    problems = list(dict.fromkeys(problems))  # A photo used twice is named once.
    if not authors:
        problems.append("at least one author")
    if not interviewees:
        problems.append("at least one interviewee")
    problems += authorization.publish_problems(article, blocks)
    return problems


def _slot_label(block):
    caption = plain_text(block.caption)
    return (caption[:57] + "…") if len(caption) > 60 else (caption or f"Credit: {block.credit}")


def _in_order(blocks):
    return sorted(blocks, key=lambda block: (block.position is None, block.position or 0))


def _has_answered_question(blocks):
    """A question with text, answered (with text) before the next question."""
    asked = False
    for block in _in_order(blocks):
        if block.kind == "question":
            asked = bool(plain_text(block.text))
        elif block.kind == "answer" and asked and plain_text(block.text):
            return True
    return False


# Permissions. Model permissions come from the groups (see the migration
# creating "Contributor" and "Editor"); these add the per-interview rules.


def can_publish(user):
    """Publish, unpublish, schedule, feature, and edit published interviews."""
    return user.has_perm("articles.publish_article")


def readable(user, articles):
    """The interviews among ``articles`` that ``user`` may read on the desk: lists, forms, previews.

    Editors read everything. Contributors read published interviews, their
    own, and every interview in review (they review each other's work), but
    not other people's drafts. Scheduled (embargoed) interviews are for
    editors only, unless ``EMBARGO_READABLE_BY_CONTRIBUTORS`` is on.
    """
    if can_publish(user):
        return articles
    if not user.has_perm("articles.view_article"):
        return articles.none()
    now = timezone.now()
    scheduled = Q(status=PUBLISHED, published_at__gt=now)
    rule = (
        Q(status=PUBLISHED, published_at__lte=now) | Q(status="review") | Q(created_by=user, status="draft")
    )
    if settings.EMBARGO_READABLE_BY_CONTRIBUTORS:
        rule |= scheduled
    return articles.filter(rule)


def can_read(user, article):
    """``readable`` for one interview (the admin's per-object view permission)."""
    return can_publish(user) or readable(user, Article.objects.filter(pk=article.pk)).exists()


def can_change_photo(user, photo):
    """Editors change any photo; contributors only those that no published or scheduled interview shows.

    Changing a photo changes every page that shows it, at once and without a
    review, so what readers see (or will see) stays the editors' to change.
    Portraits belong to people, which only editors manage.
    """
    if not user.has_perm("articles.change_photo"):
        return False
    if can_publish(user) or photo is None:
        return True
    shown = Article.objects.filter(status=PUBLISHED).filter(Q(lead_photo=photo) | Q(blocks__photo=photo))
    return not (shown.exists() or Person.objects.filter(portrait=photo).exists())


def can_edit(user, article):
    """Editors edit every interview; contributors their own drafts and their own ones in review."""
    if not user.has_perm("articles.change_article"):
        return False
    if article is None or can_publish(user):
        return True
    return article.created_by_id == user.pk and article.status != PUBLISHED


# Restoring a revision changes the interview like a save, with the same rights:
# what only editors may set stays as it is when a contributor restores.
EDITOR_ONLY_FIELDS = ["status", "published_at", "first_published_at", "featured"]


def editor_only_state(article):
    return {
        "fields": {name: getattr(article, name) for name in EDITOR_ONLY_FIELDS},
        "corrections": list(article.corrections.all()),
    }


def keep_editor_only_state(article, state):
    """Put back on ``article`` (just reverted to an old revision) what the restorer may not change."""
    for name, value in state["fields"].items():
        setattr(article, name, value)
    article.corrections.all().delete()
    Correction.objects.bulk_create(state["corrections"])


# Audit: what changed in the workflow, in the desk's words.


def describe_transition(before_status, before_published_at, article):
    """A sentence for the log when a save changes where the interview stands, else ``None``."""
    after = article.status
    if after == PUBLISHED:
        when = format_when(article.published_at)
        scheduled = article.published_at > timezone.now()
        if before_status != PUBLISHED:
            return f"Scheduled for {when}." if scheduled else f"Published ({when})."
        if before_published_at != article.published_at:
            return f"Rescheduled for {when}." if scheduled else f"Publication time changed to {when}."
        return None
    if before_status == PUBLISHED:
        return (
            "Unpublished: back to draft, removed from the public site."
            if after == "draft"
            else ("Unpublished: back to review, removed from the public site.")
        )
    if before_status != after:
        return "Submitted for review." if after == "review" else "Returned to draft."
    return None


def format_when(moment):
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def log(user, article, message):
    """Record a workflow event in the admin log, which the history page shows."""
    return LogEntry.objects.log_actions(user.pk, [article], CHANGE, message, single_object=True)


def last_change(article):
    """Who saved ``article`` last and when, from its revisions or else the admin log."""
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Version

    version = Version.objects.get_for_object(article).select_related("revision__user").order_by("-pk").first()
    if version is not None:
        user, moment = version.revision.user, version.revision.date_created
    else:
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(article), object_id=str(article.pk)
            )
            .select_related("user")
            .order_by("-action_time", "-pk")
            .first()
        )
        user, moment = (entry.user, entry.action_time) if entry else (None, article.updated_at)
    name = (user.get_full_name() or user.get_username()) if user else "Someone"
    return name, format_when(moment)


def lock_for_saving(article):
    """The interview as saved now, its row locked until the save's transaction ends.

    A second save of the same interview waits here until the first is
    committed, and then sees its new version: simultaneous saves cannot both
    pass the edit-conflict check. (SQLite has no row locks; it has one writer.)
    """
    from .models import Article

    rows = Article.objects.filter(pk=article.pk)
    if transaction.get_connection(rows.db).in_atomic_block:
        rows = rows.select_for_update()
    return rows.first()


def version_token(article):
    """What the edit form remembers to notice that someone else saved meanwhile."""
    return article.updated_at.isoformat() if article.updated_at else ""
