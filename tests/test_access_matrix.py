"""The access matrix: every role against every admin and preview address and action, per object.

Each role (a visitor, an inactive account, an active account that is not
staff, a contributor with their own and a colleague's interviews, an editor)
sends every request the desk knows, for each object it applies to. Where the
role may not, the server must refuse: the sign-in page for those who are not
desk users, 403 or "not found" for the rest, and in every case nothing in the
database changes. Whatever the answer, a contributor never sees the title of
an interview they may not read (a colleague's draft, an embargoed interview,
a deleted one). Every request runs in a transaction that is rolled back, so
all of them meet the same objects.

A new admin address fails ``test_the_matrix_covers_every_admin_address``
until its row here says who may use it.
"""

from datetime import timedelta

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from articles import previews
from articles.models import Article, AuthorizationRequest, Block, Correction, Person, Photo, PreviewLink

from .factories import make_article, make_person, make_photo
from .workflow_support import contributor, editor

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "inactive", "not staff", "contributor", "editor"]
DESK = {"contributor", "editor"}
EDITOR = {"editor"}
NOBODY = set()

# Titles a contributor may never see, and the interviews behind them.
SECRET = {
    # Nothing HTML escapes, so that a leak shows in the page as it is.
    "colleague_draft": "Secret: the draft of a colleague",
    "own_embargoed": "Secret: my own embargoed interview",
    "colleague_embargoed": "Secret: the embargoed interview of a colleague",
    "deleted": "Secret: a deleted interview",
}
# What a contributor reads and what they change (articles/workflow.py).
READABLE = {"own_draft", "own_review", "own_live", "colleague_review", "colleague_live"}
CHANGEABLE = {"own_draft", "own_review"}
ARTICLES = sorted(READABLE | {"colleague_draft", "own_embargoed", "colleague_embargoed"})
# Interviews whose interviewee was asked to approve their answers: the record stays, so no one deletes them.
AUTHORIZED = ["own_draft", "colleague_draft", "colleague_embargoed"]

CRAFTED = {"title": "Hijacked", "slug": "hijacked", "status": "published", "featured": "on"}


def _version(article):
    with reversion.create_revision():
        article.save()
    return Version.objects.get_for_object(article).first()


@pytest.fixture
def world():
    writer, colleague, boss = contributor(), contributor(), editor()
    later = timezone.now() + timedelta(days=2)
    free_photo, live_photo = make_photo(caption="Free photo"), make_photo(caption="Live photo")
    person = make_person("Ama Mensah", slug="ama-mensah")

    def interview(key, by, lead_photo=None, **fields):
        title = SECRET.get(key, f"Readable: {key}")
        return make_article(
            title, created_by=by, lead_photo=lead_photo, authors=[person], questions=1, **fields
        )

    w = {
        "writer": writer,
        "colleague": colleague,
        "boss": boss,
        "own_draft": interview("own_draft", writer, free_photo, status="draft", tags=["rivers"]),
        "own_review": interview("own_review", writer, status="review"),
        "own_live": interview("own_live", writer, live_photo),
        "own_embargoed": interview("own_embargoed", writer, published_at=later),
        "colleague_draft": interview("colleague_draft", colleague, status="draft", tags=["rivers"]),
        "colleague_review": interview("colleague_review", colleague, status="review"),
        "colleague_live": interview("colleague_live", colleague),
        "colleague_embargoed": interview("colleague_embargoed", colleague, published_at=later),
        "free_photo": free_photo,
        "live_photo": live_photo,
        "person": person,
        "tag": Tag.objects.get(name="rivers"),
    }
    w["versions"] = {key: _version(w[key]) for key in ARTICLES}
    deleted = interview("deleted", boss, status="draft")
    w["deleted_version"] = _version(deleted)
    deleted.delete()
    w["preview_link"] = previews.create_link(w["own_draft"], boss)
    w["authorizations"] = {
        key: AuthorizationRequest.objects.create(
            article=w[key], person=person, expires_at=later, created_by=boss, message=f"For {key}"
        )
        for key in AUTHORIZED
    }
    w["attempt"] = AccessAttempt.objects.create(
        username="someone",
        ip_address="203.0.113.1",
        user_agent="x",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    w["failure_log"] = AccessFailureLog.objects.create(
        username="someone", ip_address="203.0.113.1", user_agent="x", attempt_time=timezone.now()
    )
    w["access_log"] = AccessLog.objects.create(
        username=boss.username, ip_address="203.0.113.2", user_agent="x", attempt_time=timezone.now()
    )
    w["device"] = TOTPDevice.objects.create(user=colleague, name="Phone", confirmed=True)
    w["group"] = Group.objects.get(name="Editor")
    w["inactive"] = User.objects.create_user("inactive", password="pw", is_staff=True, is_active=False)
    w["inactive"].groups.add(w["group"])
    w["not staff"] = User.objects.create_user("reader", password="pw", is_staff=False)
    w["not staff"].groups.add(w["group"])
    return w


class Row:
    """One request and the roles that may make it.

    ``kind`` says what refusing looks like: "page" (403, 404, or the admin's
    "does not exist" redirect) or "action" (a changelist action, which Django
    answers by going back to the list: only the unchanged database tells).
    """

    def __init__(self, name, args=(), method="get", allowed=DESK, data=None, query="", kind="page"):
        self.name, self.args, self.method, self.allowed = name, args, method, allowed
        self.data, self.query, self.kind = data or {}, query, kind

    def url(self):
        return reverse(self.name, args=self.args) + self.query

    def __repr__(self):
        return f"{self.method.upper()} {self.url()}"


def model_rows(w, model, obj, *, view, change, add, delete, history=None, extra=()):
    """The admin's standard addresses for ``model``, about ``obj``."""
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    pk = [obj.pk]
    return [
        Row(f"{prefix}_changelist", allowed=view),
        Row(f"{prefix}_add", allowed=add),
        Row(f"{prefix}_add", method="post", allowed=add, data={"name": "Added"}),
        Row(f"{prefix}_change", pk, allowed=view),
        Row(
            f"{prefix}_change",
            pk,
            method="post",
            allowed=change,
            data={"name": "Changed", "caption": "Changed"},
        ),
        Row(f"{prefix}_history", pk, allowed=view if history is None else history),
        Row(f"{prefix}_delete", pk, allowed=delete),
        Row(f"{prefix}_delete", pk, method="post", allowed=delete, data={"post": "yes"}),
        *extra,
    ]


def rows(w):
    article_ct = ContentType.objects.get_for_model(Article).pk
    everything = [w[key].pk for key in ARTICLES]
    matrix = [
        Row("admin:index"),
        Row("admin:password_change"),
        Row("admin:password_change_done"),
        Row("admin:jsi18n"),
        Row("two_factor:verify"),
        Row("admin:app_list", ["articles"]),
        Row("admin:app_list", ["taggit"]),
        Row("admin:app_list", ["axes"], allowed=EDITOR),
        Row("admin:app_list", ["auth"], allowed=NOBODY),
        Row("admin:app_list", ["otp_totp"], allowed=NOBODY),
        # Interviews: the list and what is not about one interview.
        Row("admin:articles_article_changelist"),
        Row("admin:articles_article_changelist", query="?q=Secret"),
        Row("admin:articles_article_add"),
        Row("admin:articles_article_import"),
        Row("admin:articles_article_tag_autocomplete", query="?term=riv"),
        Row(
            "admin:autocomplete",
            query="?app_label=articles&model_name=previewlink&field_name=article&term=Secret",
        ),
        Row("admin:articles_article_recoverlist", allowed=EDITOR),
        Row("admin:articles_article_recover", [w["deleted_version"].pk], allowed=EDITOR),
        Row("admin:articles_article_recover", [w["deleted_version"].pk], method="post", allowed=EDITOR),
    ]
    for action in ("publish_now", "back_to_draft", "delete_selected"):
        data = {"action": action, "_selected_action": everything, "post": "yes"}
        matrix.append(
            Row("admin:articles_article_changelist", method="post", allowed=EDITOR, data=data, kind="action")
        )
    # Interviews, one by one.
    for key in ARTICLES:
        pk = [w[key].pk]
        read = DESK if key in READABLE else EDITOR
        change = DESK if key in CHANGEABLE else EDITOR
        version = [w[key].pk, w["versions"][key].pk]
        matrix += [
            Row("admin:articles_article_change", pk, allowed=read),
            Row("admin:articles_article_change", pk, method="post", allowed=change, data=CRAFTED),
            Row("admin:articles_article_history", pk, allowed=read),
            Row("admin:articles_article_preview", pk, allowed=read),
            Row("admin:articles_article_cards", pk, allowed=read),
            Row("admin:articles_article_cards", pk, method="post", allowed=change),
            Row("admin:articles_article_revision", version, allowed=change),
            Row("admin:articles_article_revision", version, method="post", allowed=change, data=CRAFTED),
            Row("admin:articles_article_delete", pk, allowed=EDITOR),
            Row(
                "admin:articles_article_delete",
                pk,
                method="post",
                allowed=NOBODY if key in AUTHORIZED else EDITOR,
                data={"post": "yes"},
            ),
            Row("admin:view_on_site", [article_ct, w[key].pk], allowed=read),
            # Interviewees approving their answers (articles/authorization.py).
            Row("admin:articles_authorizationrequest_review", pk, allowed=read),
            Row(
                "admin:articles_authorizationrequest_review", pk, method="post", allowed=change, kind="action"
            ),
        ]
        if key in AUTHORIZED:
            request = [w["authorizations"][key].pk]
            revoke = {"action": "revoke", "_selected_action": request}
            matrix += [
                Row("admin:articles_authorizationrequest_change", request, allowed=read),
                Row("admin:articles_authorizationrequest_history", request, allowed=read),
                Row("admin:articles_authorizationrequest_delete", request, allowed=NOBODY),
                Row(
                    "admin:articles_authorizationrequest_changelist",
                    method="post",
                    allowed=change,
                    data=revoke,
                    kind="action",
                ),
            ]
    matrix += [
        Row("admin:articles_authorizationrequest_changelist"),
        Row("admin:articles_authorizationrequest_add", allowed=NOBODY),
    ]
    # Photos: contributors change only those no published or scheduled interview shows.
    for key, change in (("free_photo", DESK), ("live_photo", EDITOR)):
        matrix += model_rows(
            w,
            Photo,
            w[key],
            view=DESK,
            change=change,
            add=DESK,
            delete=EDITOR,
            extra=[
                Row("admin:articles_photo_thumbnail", [w[key].pk]),
                Row("admin:articles_photo_details", [w[key].pk]),
            ],
        )
    matrix += model_rows(w, Person, w["person"], view=DESK, change=EDITOR, add=EDITOR, delete=EDITOR)
    matrix += model_rows(
        w,
        Tag,
        w["tag"],
        view=DESK,
        change=EDITOR,
        add=EDITOR,
        delete=EDITOR,
        extra=[
            Row("admin:taggit_tag_merge_tags", allowed=EDITOR),
            Row(
                "admin:taggit_tag_merge_tags", method="post", allowed=EDITOR, data={"new_tag_name": "merged"}
            ),
        ],
    )
    matrix += model_rows(
        w, PreviewLink, w["preview_link"], view=EDITOR, change=EDITOR, add=EDITOR, delete=EDITOR
    )
    matrix.append(
        Row(
            "admin:articles_previewlink_changelist",
            method="post",
            allowed=EDITOR,
            data={"action": "revoke", "_selected_action": [w["preview_link"].pk]},
            kind="action",
        )
    )
    # Sign-in lockouts: editors see them and unlock; the rest is the operators'.
    matrix += model_rows(
        w, AccessAttempt, w["attempt"], view=EDITOR, change=NOBODY, add=NOBODY, delete=EDITOR
    )
    matrix.append(
        Row(
            "admin:axes_accessattempt_changelist",
            method="post",
            allowed=EDITOR,
            data={"action": "unlock", "_selected_action": [w["attempt"].pk]},
            kind="action",
        )
    )
    matrix += model_rows(
        w, AccessFailureLog, w["failure_log"], view=EDITOR, change=NOBODY, add=NOBODY, delete=NOBODY
    )
    matrix += model_rows(w, AccessLog, w["access_log"], view=NOBODY, change=NOBODY, add=NOBODY, delete=NOBODY)
    # Accounts and second factors: superusers only.
    device = [w["device"].pk]
    matrix += model_rows(
        w,
        TOTPDevice,
        w["device"],
        view=NOBODY,
        change=NOBODY,
        add=NOBODY,
        delete=NOBODY,
        extra=[
            Row("admin:otp_totp_totpdevice_config", device, allowed=NOBODY),
            Row("admin:otp_totp_totpdevice_qrcode", device, allowed=NOBODY),
        ],
    )
    matrix += model_rows(w, User, w["boss"], view=NOBODY, change=NOBODY, add=NOBODY, delete=NOBODY)
    matrix.append(Row("admin:auth_user_password_change", [w["boss"].pk], allowed=NOBODY))
    matrix.append(
        Row(
            "admin:auth_user_password_change",
            [w["boss"].pk],
            method="post",
            allowed=NOBODY,
            data={"password1": "taken-over-1234", "password2": "taken-over-1234"},
        )
    )
    matrix += model_rows(w, Group, w["group"], view=NOBODY, change=NOBODY, add=NOBODY, delete=NOBODY)
    return matrix


def state():
    """Everything a request could change, row by row."""
    models = [
        Article,
        Block,
        Correction,
        Photo,
        Person,
        Tag,
        TaggedItem,
        PreviewLink,
        AuthorizationRequest,
        AccessAttempt,
        AccessFailureLog,
        TOTPDevice,
        Group,
    ]
    rows = [list(model.objects.order_by("pk").values()) for model in models]
    # Signing in (force_login) stamps last_login; the rest of an account must not move.
    rows.append(
        list(User.objects.order_by("pk").values("pk", "username", "password", "is_staff", "is_active"))
    )
    return rows


def refused(response, row, role):
    if response.status_code == 302 and response["Location"].startswith(
        (reverse("admin:login"), reverse("two_factor:verify"))
    ):
        return True
    if role not in DESK:
        return False
    if row.kind == "action":
        return response.status_code in (200, 302, 403, 404)
    if response.status_code in (403, 404):
        return True
    # The admin's answer for an object the user may not see: back to the index, "does not exist".
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def log_in(client, w, role):
    if role == "contributor":
        client.force_login(w["writer"])
    elif role == "editor":
        client.force_login(w["boss"])
    elif role in ("inactive", "not staff"):
        client.force_login(w[role])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_refused_what_it_may_not_do(client, world, role):
    log_in(client, world, role)
    matrix = rows(world)
    before = state()
    problems = []
    for row in matrix:
        with transaction.atomic():
            send = client.post if row.method == "post" else client.get
            response = send(row.url(), row.data) if row.method == "post" else send(row.url())
            changed = state() != before
            transaction.set_rollback(True)
        body = response.content.decode(errors="replace") if not response.streaming else ""
        if role in row.allowed:
            # Some successes look like refusals (a deletion without change rights goes back to the index).
            if refused(response, row, role) and row.kind != "action" and not changed:
                problems.append(f"{row} was refused ({response.status_code}) but {role}s may")
        else:
            if not refused(response, row, role):
                problems.append(f"{row} answered {response.status_code} to a {role}, who may not")
            if changed:
                problems.append(f"{row} from a {role}, who may not, changed the database")
        if role != "editor":
            leaked = [title for title in SECRET.values() if title in body]
            if leaked:
                problems.append(f"{row} showed a {role} {leaked}")
    assert not problems, "\n".join(problems)
    assert len(matrix) > 150


def test_allowed_requests_really_work(client, world):
    """The matrix is not refusing everything: what a role may do, it does."""
    client.force_login(world["writer"])
    page = client.get(reverse("admin:articles_article_change", args=[world["own_draft"].pk]))
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Readable: colleague_review" in listing and "Readable: own_draft" in listing
    client.force_login(world["boss"])
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    missing = [title for key, title in SECRET.items() if key != "deleted" and title not in listing]
    assert not missing
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "back_to_draft", "_selected_action": [world["own_live"].pk]},
    )
    assert response.status_code == 302
    world["own_live"].refresh_from_db()
    assert world["own_live"].status == "draft"


def _admin_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _admin_names(pattern, inner)
        elif pattern.name and namespace in ("admin:", "two_factor:"):
            yield namespace + pattern.name


# Open to everyone by design (signing in and out), or only a redirect to a named address above.
NOT_IN_THE_MATRIX = {"admin:login", "admin:logout"}


def test_the_matrix_covers_every_admin_address(world):
    covered = {row.name for row in rows(world)}
    missing = set(_admin_names(get_resolver())) - covered - NOT_IN_THE_MATRIX
    assert not missing, f"Say who may use these in tests/test_access_matrix.py: {sorted(missing)}"
