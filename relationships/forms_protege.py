"""Forms the protégé fills in: acknowledging a visit log, and everyone's own settings."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.hints import no_child_names
from outbox.forms import add_switches, switches
from relationships.models import PersonSettings


class AcknowledgeForm(forms.Form):
    """Acknowledging a log is one act: the button says "I have read this log and co-sign my
    next steps", so pressing it is the co-signature. Both reflections are optional."""

    reflection = forms.CharField(
        label=_("Reflection for your mentor or coach (optional)"),
        help_text=_("Shared with your mentor or coach, like the log itself."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    private_reflection = forms.CharField(
        label=_("Private reflection (optional)"),
        help_text=_("Only you can read this. Your mentor or coach never sees it."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, mentor_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not mentor_name:
            return
        words = {"mentor": mentor_name}
        self.fields["reflection"].label = _("Reflection for %(mentor)s (optional)") % words
        self.fields["reflection"].help_text = no_child_names(
            _("%(mentor)s reads this, like the log itself.") % words
        )
        self.fields["private_reflection"].help_text = no_child_names(
            _("Only you can read this. %(mentor)s never sees it.") % words
        )


class SettingsPartForm(forms.ModelForm):
    """One part of the settings page, each with its own button. `settings()` is what
    `person_settings_save` takes: this part's values over what is saved now, so saving one part
    leaves the others (and the settings a person is not shown) as they are."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def settings(self) -> dict:
        saved = {
            "email": self.user.email,
            "calendar_enabled": self.instance.calendar_enabled,
            "email_switches": switches(self.cleaned_data),
        }
        sent = {
            name: self.cleaned_data[name]
            for name in ("email", "calendar_enabled")
            if name in self.cleaned_data
        }
        return saved | sent


class PersonSettingsForm(SettingsPartForm):
    """A person's email address (saved on the user by `person_settings_save`, which checks that
    no other account uses it) and the emails that concern them."""

    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        help_text=_("Where the emails below, and password reset links, are sent."),
    )
    current_password = forms.CharField(
        label=_("Your current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Only to change your email address: password reset links go there."),
    )
    field_order = ("email", "current_password")

    class Meta:
        model = PersonSettings
        fields = ()

    def __init__(self, *args, user, roles=frozenset(), **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["email"].initial = user.email
        # A box per kind of email that can concern someone with these roles (the ones the
        # navigation bar keeps in the session, so knowing them costs no query); the others
        # are not shown, so saving keeps them as they are.
        self.switch_names = add_switches(self, user, frozenset(roles))

    def email_choices(self) -> list[forms.BoundField]:
        """The email on/off boxes this person is shown."""
        return [self[name] for name in self.switch_names]

    def clean(self):
        """A new address takes the current password, as a new password does: whoever holds an
        open session must not be able to send the account's reset links elsewhere."""
        cleaned = super().clean()
        email = (cleaned.get("email") or "").strip()
        changed = email.casefold() != self.user.email.casefold()
        password = cleaned.get("current_password") or ""
        if email and changed and not self.user.check_password(password):
            self.add_error(
                "current_password",
                "Enter your current password to change your email address."
                if not password
                else "That is not your current password.",
            )
        return cleaned


class LanguageForm(forms.ModelForm):
    """The language of a person's pages and emails; no choice follows their browser."""

    class Meta:
        model = PersonSettings
        fields = ("language",)
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        field.label = _("Language of the site and of your emails")
        field.choices = [("", _("My browser's language")), *settings.LANGUAGES]
        field.required = False


class CalendarFeedForm(SettingsPartForm):
    """The private calendar feed on or off: one button, which sends `calendar_enabled` only to
    turn the feed on."""

    class Meta:
        model = PersonSettings
        fields = ("calendar_enabled",)
