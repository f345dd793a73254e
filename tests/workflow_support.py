"""Helpers for the workflow tests: desk users in their groups, and admin forms as a browser sends them."""

import itertools

import lxml.html
from django.contrib.auth.models import Group, User

_counter = itertools.count(1)


def make_user(group=None, *, superuser=False, name=None):
    n = next(_counter)
    first, last = (name or f"Desk Person{n}").split(" ", 1)
    user = User.objects.create_user(
        f"user{n}", f"user{n}@example.org", "pw", is_staff=True, first_name=first, last_name=last
    )
    if superuser:
        user.is_superuser = True
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def contributor(name=None):
    return make_user("Contributor", name=name)


def editor(name=None):
    return make_user("Editor", name=name)


def form_data(response, form_id="article_form"):
    """The fields a browser would submit from the form ``form_id`` on this page, as a dict.

    Multiple values (a multiple select) become lists. Submit buttons are left out.
    """
    page = lxml.html.fromstring(response.content.decode())
    form = page.get_element_by_id(form_id)
    data = {}
    textareas = {element.name for element in form.iter("textarea")}
    for name, value in form.form_values():
        if name in textareas and value.startswith("\n"):
            value = value[1:]  # Browsers drop the newline that opens a textarea.
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    return data


def errors_text(response):
    """All error messages on an admin form page, as one string."""
    page = lxml.html.fromstring(response.content.decode())
    nodes = page.xpath("//*[contains(@class, 'errornote') or contains(@class, 'errorlist')]")
    return " ".join(" ".join(node.text_content().split()) for node in nodes)


def messages_text(response):
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""
