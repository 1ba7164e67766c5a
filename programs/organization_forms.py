"""The administrator's form of an organization: its name, kind, place and the organization
it is part of (programs/organizations.py has the rules)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.formfields import model_choice_field
from core.formhelpers import fields_only
from core.versions import VersionedForm
from programs.models import Organization
from programs.organizations import ORGANIZATION_FIELDS, Tree


class OrganizationForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ORGANIZATION_FIELDS
        help_texts = {
            "parent": _(
                "The district, agency or network that runs it, if any. A coach employed "
                "there counts as from the same organization as its schools' teachers."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = model_choice_field(self, "parent")
        parent.empty_label = _("None: it stands on its own")
        # Active organizations, not this one nor its parts (which would make a cycle); the
        # current parent stays valid even if archived since.
        offered = Q(archived_at__isnull=True)
        if self.instance.pk:
            below = Tree.load().descendants(self.instance.pk)
            offered &= ~Q(pk__in=below | {self.instance.pk})
        parent.queryset = Organization.objects.filter(
            offered | Q(pk=self.instance.parent_id)
        ).order_by("name")
        self.helper = fields_only()
