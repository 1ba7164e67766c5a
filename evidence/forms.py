"""The form that attaches a file. It parses and labels; evidence/services.py checks the file."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.hints import no_child_names
from evidence import files
from evidence.models import Attachment, AttachmentTier

# What the phone's or laptop's file picker offers first (the content decides, evidence/files.py).
# No `capture`: the person chooses between the camera and the files they have.
ACCEPT = ",".join(
    [
        "image/*",
        "video/*",
        ".pdf",
        ".docx",
        ".xlsx",
        ".ods",
        ".csv",
        files.PDF,
        files.DOCX,
        files.XLSX,
        files.ODS,
        files.CSV,
    ]
)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    caption = forms.CharField(
        label=_("Caption"),
        max_length=Attachment._meta.get_field("caption").max_length,
        required=False,
    )
    tier = forms.ChoiceField(
        label=_("Who can see it"),
        choices=AttachmentTier.choices,
        initial=AttachmentTier.SHARED,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ACCEPT
        limits = {kind: filesizeformat(files.max_bytes(kind)) for kind in files.KINDS}
        self.fields["file"].help_text = (
            gettext(
                "A photo (up to %(image)s), a short video (up to %(video)s) or a document: PDF, "
                "Word, Excel, OpenDocument spreadsheet or CSV (up to %(document)s). Location and "
                "camera details are removed from photos."
            )
            % limits
        )
        self.fields["caption"].help_text = no_child_names(gettext("What it shows, in a sentence."))
        self.fields["caption"].widget.attrs["autocomplete"] = "off"
