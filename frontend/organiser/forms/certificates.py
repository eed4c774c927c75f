"""The organiser's forms for certificates: texts with placeholders, design images, issuing and revoking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.enums import CertificateKind
from certificates.texts import placeholders_check
from contest.texts import TEXT_LANGUAGES


class CertificateTextForm(forms.Form):
    """The title and text of one kind of certificate in one language; both empty: the built-in ones."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("A blank line starts a new paragraph. Placeholders in braces are filled in for each holder."),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        title, body = (data.get("title") or "").strip(), (data.get("body") or "").strip()
        for name, text in (("title", title), ("body", body)):
            for problem in placeholders_check(text, self.kind):
                self.add_error(name, problem)
        if bool(title) != bool(body):
            raise forms.ValidationError(_("Give both the title and the text, or neither to use the built-in ones."))
        return data


class CertificateDesignForm(forms.Form):
    """The background, logo and signature images (PNG or JPEG) and who signs, in each language."""

    background = forms.FileField(label=_("Background (A4 landscape)"), required=False)
    logo = forms.FileField(label=_("Logo"), required=False)
    signature = forms.FileField(label=_("Signature"), required=False)
    remove_background = forms.BooleanField(label=_("Remove the background"), required=False)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    remove_signature = forms.BooleanField(label=_("Remove the signature"), required=False)
    signatory_kk = forms.CharField(label=_("Signed by (Kazakh)"), max_length=255, required=False)
    signatory_ru = forms.CharField(label=_("Signed by (Russian)"), max_length=255, required=False)
    signatory_en = forms.CharField(label=_("Signed by (English)"), max_length=255, required=False)

    def signatory(self) -> dict[str, str]:
        return {language: self.cleaned_data.get(f"signatory_{language}", "") for language in TEXT_LANGUAGES}

    def removed(self) -> set[str]:
        return {role for role in ("background", "logo", "signature") if self.cleaned_data.get(f"remove_{role}")}


class IssueForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which certificates"),
        choices=[("", _("Every kind")), *CertificateKind.choices],
        required=False,
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is revoked (shown on its public page)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the certificate is revoked: its public page shows the reason.")},
    )
