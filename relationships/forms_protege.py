"""Forms the protégé fills in: acknowledging a visit log, and their own settings."""

from django import forms

from relationships.models import PersonSettings


class AcknowledgeForm(forms.Form):
    cosign = forms.BooleanField(
        label="I have read this log and I co-sign my next steps.",
        error_messages={
            "required": "Tick this box to acknowledge the log and co-sign your next steps."
        },
    )
    reflection = forms.CharField(
        label="Reflection for your mentor or coach (optional)",
        help_text="Shared with your mentor or coach, like the log itself.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    private_reflection = forms.CharField(
        label="Private reflection (optional)",
        help_text="Only you can read this. Your mentor or coach never sees it.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, mentor_name: str = "your mentor or coach", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reflection"].label = f"Reflection for {mentor_name} (optional)"
        self.fields["reflection"].help_text = f"{mentor_name} reads this, like the log itself."
        self.fields[
            "private_reflection"
        ].help_text = f"Only you can read this. {mentor_name} never sees it."


class PersonSettingsForm(forms.ModelForm):
    """A person's settings and, on the same form, their account's email address (saved on the
    user by `person_settings_save`, which checks that no other account uses it)."""

    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="Where the emails below, and password reset links, are sent.",
    )
    current_password = forms.CharField(
        label="Your current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Only to change your email address: password reset links go there.",
    )
    field_order = ("email", "current_password")

    class Meta:
        model = PersonSettings
        fields = ("email_new_log", "email_goal_agreement", "calendar_enabled")
        labels = {
            "email_new_log": "Email me when a visit log waits for my acknowledgement",
            "email_goal_agreement": "Email me when a goal waits for my agreement",
            "calendar_enabled": "Keep my private calendar feed on",
        }
        help_texts = {
            "calendar_enabled": (
                "When off, your calendar link stops working until you turn it back on."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].initial = user.email

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

    def settings(self) -> dict:
        """What `person_settings_save` takes: everything but the password."""
        return {k: v for k, v in self.cleaned_data.items() if k != "current_password"}
