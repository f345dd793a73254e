"""Two-factor sign-in for the desk: a code from an authenticator app (django-otp, TOTP).

Whoever has set up an app gives its code after their password, always.
With ``TWO_FACTOR_FOR_EDITORS`` on, editors (who publish) must set one up:
after their password, the desk sends them to ``/admin/two-factor/``, which
shows the QR code to scan, then asks for the first code. Until then, no other
desk page opens. Someone who lost their phone: a superuser deletes their
device in the admin ("TOTP devices"), and they set up a new one at next sign-in.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import workflow


def required(user):
    """Whether ``user`` must give a code before using the desk."""
    if not (user.is_authenticated and user.is_staff):
        return False
    if user_has_device(user, confirmed=True):
        return True
    return settings.TWO_FACTOR_FOR_EDITORS and workflow.can_publish(user)


class TwoFactorMiddleware:
    """Sends a desk user who owes a code to the code page before any other desk page (after OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.desk = None

    def __call__(self, request):
        if self.desk is None:
            self.desk = reverse("admin:index")
            self.open_anyway = {reverse("two_factor:verify"), reverse("admin:logout"), reverse("admin:login")}
        # Readers' pages never get here: the path is checked before the session is read.
        if (
            request.path.startswith(self.desk)
            and request.path not in self.open_anyway
            and not request.user.is_verified()
            and required(request.user)
        ):
            return redirect(f"{reverse('two_factor:verify')}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def verify(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("admin:index")
    user = request.user
    if user.is_verified():
        messages.info(request, "Two-factor sign-in is on for your account.")
        return redirect(next_url)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        # The app is set up from a key that stays the same until the first code confirms it.
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
        device = device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        allowed, refusal = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code", "Too many wrong codes in a row. Wait a minute, then enter the code your app shows."
            )
        elif device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            request.session.cycle_key()
            otp_login(request, device)
            return redirect(next_url)
        else:
            form.add_error(
                "code", "That code is not right, or has expired. Enter the code your app shows now."
            )
    context = {
        **admin.site.each_context(request),
        "title": "Set up two-factor sign-in" if enrolling else "Two-factor sign-in",
        "form": form,
        "next": next_url,
        "enrolling": enrolling,
    }
    if enrolling:
        context["secret"] = b32encode(device.bin_key).decode()
        context["qr_code"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
    return render(request, "admin/two_factor.html", context)


urls = ([path("", admin.site.admin_view(verify), name="verify")], "two_factor")
