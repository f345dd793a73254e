"""Authorization: the interviewee reads the interview and approves their answers before it goes out.

("Autorisierung" in German newsrooms; quote checking elsewhere.) An editor asks
one or more of the interview's interviewees; each gets a personal link
(links.py) to a page showing the interview as readers will see it. There they
suggest changes to their own answers, comment on any part, and approve.
Nothing they do changes the interview: the editor accepts or declines each
suggestion, and accepting one is an ordinary, recorded revision.

A request (one interviewee, one interview) is in one of three states:

``waiting``   asked; no answer yet (``first_read_at`` says whether they opened it)
``changes``   they sent suggestions or comments; the editor goes through them
``approved``  they approved their answers as they stood then

An approval covers the text of that person's answers (``approved_fingerprint``):
any later edit of those answers makes it stale. When an interview requires
authorization, ``publish_problems`` (called by workflow.publish_problems)
refuses publication until every interviewee asked holds a current approval.

Every step is an ``AuthorizationEvent``: when, through which link, from which
address, and by which editor for the editor's own steps.
"""

import hashlib
import logging
from datetime import timedelta

import reversion
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .links import ExpiringLink, LinkSigner
from .richtext import RichTextField, plain_text, sanitize
from .text import CleanCharField, CleanTextField

logger = logging.getLogger("articles.authorization")
signer = LinkSigner(salt="articles.authorization")

ANSWER = "answer"


class AuthorizationError(Exception):
    """A step that cannot be taken; the message says why, in the words of whoever tried."""


class AuthorizationRequest(ExpiringLink):
    """One interviewee asked to approve their answers in one interview, through one personal link."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an answer"
        CHANGES = "changes", "Sent suggestions"
        APPROVED = "approved", "Approved"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="authorization_requests"
    )
    person = models.ForeignKey(
        "articles.Person", on_delete=models.PROTECT, related_name="authorization_requests"
    )
    email = models.EmailField(
        blank=True, help_text="The link is sent here. Leave empty to pass the link on yourself."
    )
    message = CleanTextField(
        "personal message", blank=True, help_text="Added to the email, for example your deadline."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    first_read_at = models.DateTimeField("first opened", null=True, blank=True)
    last_read_at = models.DateTimeField("last opened", null=True, blank=True)
    # The whole interview as they last opened it, to tell the editor when it changed since.
    seen_fingerprint = CleanCharField(max_length=64, blank=True, editable=False)
    answered_at = models.DateTimeField("last answer", null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # The text of their answers when they approved it.
    approved_fingerprint = CleanCharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "authorization request"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "changes", "approved"]),
                name="authorization_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status="approved") & Q(approved_at__isnull=False))
                | (~Q(status="approved") & Q(approved_at__isnull=True)),
                name="authorization_approved_has_time",
            ),
            # Asking again replaces the link: one open request per interviewee and interview.
            models.UniqueConstraint(
                fields=["article", "person"],
                condition=Q(revoked_at__isnull=True),
                name="authorization_once_per_interviewee",
            ),
        ]

    def __str__(self):
        return f"{self.person} on “{self.article}”"

    @property
    def url(self):
        """The address to send: absolute, on the canonical site, never from the request's host."""
        return settings.SITE_URL + reverse("articles:authorize", kwargs={"token": signer.token(self)})

    def answers(self, blocks, interviewee_ids):
        """Of ``blocks``, those this person may change: their answers (all of them if they are the only interviewee)."""
        return answers_of(self.person_id, blocks, interviewee_ids)

    def approval_is_current(self, blocks, interviewee_ids):
        return self.status == self.Status.APPROVED and self.approved_fingerprint == fingerprint(
            self.answers(blocks, interviewee_ids)
        )

    def changed_since_read(self, article, blocks):
        return bool(self.seen_fingerprint) and self.seen_fingerprint != interview_fingerprint(article, blocks)

    def describe(self, blocks, interviewee_ids):
        """Where this request stands, in a few words for the desk."""
        if self.revoked_at:
            return f"Link revoked on {_day(self.revoked_at)}"
        if self.status == self.Status.APPROVED:
            if self.approval_is_current(blocks, interviewee_ids):
                return f"Authorized by {self.person.name} on {_day(self.approved_at)}"
            return f"Approved on {_day(self.approved_at)}, but their answers changed since: ask again"
        if self.expires_at <= timezone.now():
            return f"Link expired on {_day(self.expires_at)} without approval"
        if self.status == self.Status.CHANGES:
            return f"Sent suggestions on {_day(self.answered_at)}"
        if self.first_read_at:
            return f"Opened on {_day(self.last_read_at)}, no answer yet"
        return f"Asked on {_day(self.created_at)}, not opened yet"

    # What the interviewee does (authorization_views.py) ------------------------

    def mark_read(self, article, blocks, http_request):
        now = timezone.now()
        seen = interview_fingerprint(article, blocks)
        first = self.first_read_at is None
        changed = seen != self.seen_fingerprint
        self.first_read_at = self.first_read_at or now
        self.last_read_at = now
        self.seen_fingerprint = seen
        self.save(update_fields=["first_read_at", "last_read_at", "seen_fingerprint"])
        if first or changed:
            # Each version they read, not every reload.
            self.record(AuthorizationEvent.Action.OPENED, http_request)

    def approve(self, answers, seen_answers, http_request):
        """Approve ``answers`` (their answers now) if they are what the page showed (``seen_answers``)."""
        current = fingerprint(answers)
        if current != seen_answers:
            raise AuthorizationError(
                "The editors changed your answers while you were reading. Please read them again "
                "below; nothing has been approved yet."
            )
        now = timezone.now()
        from .workflow import format_when

        note = f"Authorized by {self.person.name} on {format_when(now)}"
        if self.created_by_id:
            note += f" (link sent by {self.created_by.get_full_name() or self.created_by.get_username()})"
        # A revision keeps the very text they approved, and the history shows who approved it.
        with transaction.atomic(), reversion.create_revision():
            self.status = self.Status.APPROVED
            self.approved_at = self.answered_at = now
            self.approved_fingerprint = current
            self.save(update_fields=["status", "approved_at", "answered_at", "approved_fingerprint"])
            self.record(AuthorizationEvent.Action.APPROVED, http_request)
            reversion.add_to_revision(self.article)
            reversion.set_comment(note + ".")

    def submit(self, proposals, comments, general_comment, http_request):
        """Keep their suggestions: ``proposals`` {block: (seen_html, proposed_html)}, ``comments`` {block: text}.

        The caller has checked that every block in ``proposals`` is theirs to change.
        """
        now = timezone.now()
        made = []
        blocks = {*proposals, *comments}
        for block in sorted(blocks, key=lambda block: (block.position, block.pk)):
            seen, proposed = proposals.get(block, (block.text, ""))
            if proposed:
                # A new suggestion for the same answer replaces their earlier one.
                self.suggestions.filter(block=block, status=Suggestion.Status.OPEN).exclude(
                    proposed_text=""
                ).update(status=Suggestion.Status.WITHDRAWN, decided_at=now)
            made.append(
                Suggestion(
                    request=self,
                    block=block,
                    seen_text=seen,
                    proposed_text=proposed,
                    comment=comments.get(block, ""),
                )
            )
        if general_comment:
            made.append(Suggestion(request=self, comment=general_comment))
        for suggestion in made:
            suggestion.save()
            action = (
                AuthorizationEvent.Action.SUGGESTED
                if suggestion.proposed_text
                else AuthorizationEvent.Action.COMMENTED
            )
            self.record(action, http_request, suggestion=suggestion)
        self.status = self.Status.CHANGES
        self.answered_at = now
        self.approved_at = None
        self.approved_fingerprint = ""
        self.save(update_fields=["status", "answered_at", "approved_at", "approved_fingerprint"])
        return made

    # What the editor does (admin/authorization.py) -----------------------------

    def revoke(self, user, http_request):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
        self.record(AuthorizationEvent.Action.REVOKED, http_request, user=user)

    def extend(self, days=None):
        """Keep the link working for another ``days`` (AUTHORIZATION_DAYS) from now."""
        days = settings.AUTHORIZATION_DAYS if days is None else days
        self.expires_at = max(self.expires_at, timezone.now() + timedelta(days=days))
        self.save(update_fields=["expires_at"])

    def record(self, action, http_request=None, *, user=None, suggestion=None, note=""):
        event = AuthorizationEvent.objects.create(
            request=self,
            suggestion=suggestion,
            action=action,
            user=user,
            ip_address=client_ip(http_request),
            note=note,
        )
        logger.info(
            "authorization %s: request %s (article %s, person %s) from %s%s",
            action,
            self.pk,
            self.article_id,
            self.person_id,
            event.ip_address,
            f" by user {user.pk}" if user else "",
        )
        return event


class Suggestion(models.Model):
    """A change the interviewee proposes to one of their answers, or a comment on any part.

    Kept against the text they saw (``seen_text``), whatever happens to the block later.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the editor"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Declined"
        DONE = "done", "Dealt with"
        WITHDRAWN = "withdrawn", "Replaced by a later suggestion"

    request = models.ForeignKey(AuthorizationRequest, on_delete=models.CASCADE, related_name="suggestions")
    # Empty for a comment on the whole interview (or once the block is deleted).
    block = models.ForeignKey(
        "articles.Block", null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    seen_text = CleanTextField("text they saw", blank=True)
    proposed_text = RichTextField("their version", blank=True)
    comment = CleanTextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = CleanTextField("editor's reply", blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "rejected", "done", "withdrawn"]),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(proposed_text="") | ~Q(comment=""), name="suggestion_says_something"
            ),
        ]

    def __str__(self):
        kind = "Change" if self.proposed_text else "Comment"
        return f"{kind} by {self.request.person} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def block_changed_since_seen(self):
        return self.block is not None and sanitize(self.block.text) != sanitize(self.seen_text)

    def accept(self, user, http_request):
        """Put their version into the interview, as a revision that says whose suggestion it was."""
        from .workflow import log

        block = self.block
        if not (self.is_open and self.proposed_text and block is not None):
            raise AuthorizationError("This suggestion has already been dealt with.")
        request = self.request
        article = request.article
        if block.article_id != article.pk or block not in request.answers([block], interviewee_ids(article)):
            # The speaker or the kind changed since: the block is no longer theirs to change.
            raise AuthorizationError(
                f"This block is no longer {request.person.name}'s answer, so their suggestion cannot be applied."
            )
        note = (
            f"Accepted the change suggested by {request.person.name} to the answer “{_excerpt(block.text)}”."
        )
        with transaction.atomic(), reversion.create_revision():
            block.text = self.proposed_text
            block.save()
            article.save(update_fields=["updated_at"])
            reversion.add_to_revision(article)
            reversion.set_user(user)
            reversion.set_comment(note)
            self._decide(self.Status.ACCEPTED, user)
            request.record(AuthorizationEvent.Action.ACCEPTED, http_request, user=user, suggestion=self)
            log(user, article, note)

    def reject(self, user, http_request, reply=""):
        if not self.is_open:
            raise AuthorizationError("This suggestion has already been dealt with.")
        self.reply = reply or self.reply
        self._decide(self.Status.REJECTED if self.proposed_text else self.Status.DONE, user)
        self.request.record(AuthorizationEvent.Action.REJECTED, http_request, user=user, suggestion=self)

    def answer(self, user, http_request, reply):
        """The editor's reply, which the interviewee reads on their page."""
        self.reply = reply
        self.save(update_fields=["reply"])
        self.request.record(AuthorizationEvent.Action.REPLIED, http_request, user=user, suggestion=self)

    def _decide(self, status, user):
        self.status = status
        self.decided_at = timezone.now()
        self.decided_by = user
        self.save(update_fields=["status", "decided_at", "decided_by", "reply"])


class AuthorizationEvent(models.Model):
    """What happened, when, through which link and from which address: the audit trail."""

    class Action(models.TextChoices):
        ASKED = "asked", "Asked for authorization"
        SENT = "sent", "Link emailed"
        OPENED = "opened", "Opened the interview"
        SUGGESTED = "suggested", "Suggested a change"
        COMMENTED = "commented", "Commented"
        APPROVED = "approved", "Approved"
        ACCEPTED = "accepted", "Suggestion accepted"
        REJECTED = "rejected", "Suggestion declined"
        REPLIED = "replied", "Editor replied"
        REVOKED = "revoked", "Link revoked"
        REFUSED = "refused", "Refused a request"

    request = models.ForeignKey(AuthorizationRequest, on_delete=models.CASCADE, related_name="events")
    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The desk account for the editors' steps; empty for the interviewee's.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    note = CleanCharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "authorization event"

    def __str__(self):
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


def ask(article, person, *, user, email="", days=None, message="", http_request=None):
    """Ask ``person`` to authorize ``article``: a new personal link, valid ``days`` (AUTHORIZATION_DAYS).

    The caller sends it (authorization_mail.send_link) once this is committed.
    """
    if not article.interviewee_links.filter(person=person).exists():
        raise AuthorizationError(f"{person.name} is not an interviewee of this interview.")
    if open_requests(article).filter(person=person).exists():
        raise AuthorizationError(
            f"{person.name} has already been asked. Send the link again, or revoke it to ask anew."
        )
    days = settings.AUTHORIZATION_DAYS if days is None else days
    request = AuthorizationRequest.objects.create(
        article=article,
        person=person,
        email=email,
        message=message,
        created_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )
    request.record(AuthorizationEvent.Action.ASKED, http_request, user=user)
    return request


# Rules ---------------------------------------------------------------------------


def interviewee_ids(article):
    return set(article.interviewee_links.values_list("person_id", flat=True))


def answers_of(person_id, blocks, interviewee_ids):
    """The answers among ``blocks`` that ``person_id`` may change.

    Their own (speaker is them), or every answer when they are the interview's
    only interviewee: single-interviewee interviews rarely name the speaker.
    """
    answers = [block for block in blocks if block.kind == ANSWER]
    if set(interviewee_ids) == {person_id}:
        return answers
    return [block for block in answers if block.speaker_id == person_id]


def _in_order(blocks):
    return sorted(blocks, key=lambda block: (block.position is None, block.position or 0, block.pk or 0))


def fingerprint(blocks):
    """A digest of the blocks' text in reading order: equal digests, same words.

    Text is sanitized first so that rows submitted in a form (not yet saved)
    compare equal to the same text once stored.
    """
    digest = hashlib.sha256()
    for block in _in_order(blocks):
        digest.update(f"{block.pk}\x1f{sanitize(block.text)}\x1e".encode())
    return digest.hexdigest()


def interview_fingerprint(article, blocks):
    """A digest of everything the interviewee reads: headline, standfirst and the whole body."""
    digest = hashlib.sha256(f"{article.title}\x1e{article.standfirst}\x1e".encode())
    for block in _in_order(blocks):
        parts = (block.pk, block.kind, block.text, block.speaker_id, block.photo_id, block.caption)
        digest.update(("\x1f".join(str(part) for part in parts) + "\x1e").encode())
    return digest.hexdigest()


def open_requests(article):
    """The interviewees asked and not revoked, with their people."""
    return article.authorization_requests.filter(revoked_at__isnull=True).select_related("person")


def publish_problems(article, blocks):
    """What authorization still lacks before ``article`` may go out; empty when it is not required."""
    if not article.authorization_required:
        return []
    if article.pk is None:
        return ["its interviewees' authorization (save it, then ask them from its Authorization page)"]
    requests = list(open_requests(article))
    if not requests:
        return ["its interviewees' authorization (ask them from its Authorization page)"]
    ids = interviewee_ids(article)
    problems = []
    for request in requests:
        if request.status != request.Status.APPROVED:
            problems.append(f"approval from {request.person.name}")
        elif not request.approval_is_current(blocks, ids):
            problems.append(
                f"a new approval from {request.person.name}, whose answers changed after they approved them"
            )
    return problems


def public_line(article, blocks, interviewee_links):
    """The line readers see under the interview when the editor chose to show it, else ``""``.

    No query unless the editor switched it on.
    """
    if not article.show_authorized_line:
        return ""
    requests = list(article.authorization_requests.filter(revoked_at__isnull=True))
    ids = {link.person_id for link in interviewee_links}
    if not requests or not all(request.approval_is_current(blocks, ids) for request in requests):
        return ""
    return f"This interview was authorized by its subject{'s' if len(requests) > 1 else ''}."


def client_ip(http_request):
    """The visitor's address as the sign-in throttle sees it (TRUSTED_PROXIES), if it is one."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_ipv46_address

    from .accounts import client_address

    if http_request is None:
        return None
    address = client_address(http_request)
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def _day(moment):
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "j F Y") if moment else ""


def _excerpt(html, length=60):
    text = plain_text(html)
    return text if len(text) <= length else text[: length - 1] + "…"
