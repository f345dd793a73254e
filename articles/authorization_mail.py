"""The emails of authorization: the interviewee's personal link, and the editor's news of their answer.

Sent through Django's email framework (EMAIL_BACKEND: the console in
development, SMTP from the environment in production), after the change they
announce is committed. A failed send never loses the request: the editor sees
the link on the desk and can pass it on another way.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .authorization import AuthorizationEvent

logger = logging.getLogger("articles.authorization")


def _editor_name(user):
    return (user.get_full_name() or user.get_username()) if user else f"The editors of {settings.SITE_NAME}"


def _send(subject, template, context, to, reply_to=()):
    body = render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **context})
    message = EmailMessage(subject, body, to=to, reply_to=[address for address in reply_to if address])
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        logger.exception("could not send %r to %s", subject, to)
        return False
    return True


def send_link(request, *, again=False, user=None, http_request=None):
    """Email ``request``'s link to the interviewee; False if there is no address or the send failed."""
    if not request.email:
        return False
    editor = request.created_by
    context = {
        "request": request,
        "person": request.person,
        "article": request.article,
        "url": request.url,
        "expires": timezone.localtime(request.expires_at),
        "editor": _editor_name(user or editor),
        "again": again,
    }
    subject = (
        f"Please read your interview again: {request.article.title}"
        if again
        else f"Please check your answers before publication: {request.article.title}"
    )
    reply_to = [getattr(user or editor, "email", "")]
    sent = _send(subject, "articles/authorization/email_link.txt", context, [request.email], reply_to)
    if sent:
        request.record(AuthorizationEvent.Action.SENT, http_request, user=user, note=f"To {request.email}")
    return sent


def tell_editor(request, what):
    """Let the editor who asked know that the interviewee approved (``"approved"``) or sent suggestions."""
    editor = request.created_by
    if editor is None or not editor.email:
        return False
    context = {
        "request": request,
        "person": request.person,
        "article": request.article,
        "what": what,
        "count": request.suggestions.filter(status="open").count(),
        "url": settings.SITE_URL
        + reverse("admin:articles_authorizationrequest_review", args=[request.article_id]),
    }
    verb = "approved" if what == "approved" else "sent suggestions on"
    subject = f"{request.person.name} {verb} “{request.article.title}”"
    return _send(subject, "articles/authorization/email_editor.txt", context, [editor.email])
