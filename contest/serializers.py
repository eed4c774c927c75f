"""API v1 shapes of contests and entries: output shapes, and input shapes that only check form.

The entry as a whole is shown with its file, so ``media_pipeline.serializers`` puts it together from these parts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from modeltranslation.utils import build_localized_fieldname
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from config.api import ErrorSerializer as ErrorSerializer
from contest.enums import SubmissionWindow
from contest.models import CoAuthor, Contest, Nomination, Platform, University
from contest.selectors import contests_visible
from contest.services import CoAuthorData
from contest.validators import validate_http_url

# Contests, nominations, platforms -------------------------------------------------------------------------------


class LocalizedTextsSerializer(serializers.Serializer):
    """An object's texts in one language, exactly as the organiser wrote them ("" where not written)."""

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        self.language = language
        super().__init__(*args, **kwargs)

    def to_representation(self, instance: Model) -> dict[str, str]:
        names = self.fields.keys()
        return {name: getattr(instance, build_localized_fieldname(name, self.language)) or "" for name in names}


class ContestTextsSerializer(LocalizedTextsSerializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    rules = serializers.CharField(read_only=True)


class ContestTranslationsSerializer(serializers.Serializer):
    """A contest's texts in each of Baige's languages."""

    kk = ContestTextsSerializer(source="*", language="kk", read_only=True)
    ru = ContestTextsSerializer(source="*", language="ru", read_only=True)
    en = ContestTextsSerializer(source="*", language="en", read_only=True)


class ContestLimitsSerializer(serializers.Serializer):
    max_file_size = serializers.IntegerField(read_only=True, help_text=_("Largest file, in bytes."))
    max_video_duration = serializers.IntegerField(read_only=True, help_text=_("Longest video, in seconds."))
    max_pages = serializers.IntegerField(read_only=True, help_text=_("Most slides or pages of a presentation."))


class ContestSerializer(serializers.ModelSerializer):
    """A contest; ``name``, ``description`` and ``rules`` are in the language negotiated from Accept-Language."""

    submission_window = serializers.ChoiceField(
        choices=SubmissionWindow.choices,
        read_only=True,
        help_text=_("Whether entries are accepted now: upcoming, open or closed."),
    )
    limits = ContestLimitsSerializer(source="*", read_only=True)
    translations = ContestTranslationsSerializer(source="*", read_only=True)

    class Meta:
        model = Contest
        fields = [
            "slug",
            "name",
            "description",
            "rules",
            "timezone",
            "submissions_open",
            "submissions_close",
            "results_publish_at",
            "submission_window",
            "limits",
            "translations",
        ]
        read_only_fields = fields


class NominationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nomination
        fields = ["id", "slug", "name", "description"]
        read_only_fields = fields


class PlatformSerializer(serializers.ModelSerializer):
    class Meta:
        model = Platform
        fields = ["id", "slug", "name", "is_other"]
        read_only_fields = fields


# Entries: the parts of their output -----------------------------------------------------------------------------


class EntryNominationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nomination
        fields = ["id", "name"]
        read_only_fields = fields


class EntryPlatformSerializer(serializers.ModelSerializer):
    class Meta:
        model = Platform
        fields = ["id", "name"]
        read_only_fields = fields


class UniversityBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = University
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class CoAuthorSerializer(serializers.ModelSerializer):
    university = UniversityBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CoAuthor
        fields = ["full_name", "email", "university"]
        read_only_fields = fields


# Entries: input -------------------------------------------------------------------------------------------------


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "nullable": True})
class UniversityReferenceField(serializers.RelatedField[University, Any, str]):
    """A university given by its slug or by its numeric id."""

    default_error_messages = {
        "does_not_exist": _("Unknown university: %(value)s."),
        "incorrect_type": _("Give the university's short name or its id."),
    }

    def to_internal_value(self, data: Any) -> University:
        queryset = self.get_queryset()
        assert queryset is not None  # a writable related field is always given one
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        if isinstance(data, str) and "\x00" in data:
            # No slug holds one, and PostgreSQL refuses to compare text that does.
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"value": data.replace("\x00", "")}
            )
        if isinstance(data, int):
            university = queryset.filter(pk=data).first()
        else:
            university = queryset.filter(slug=data).first()
            if university is None and data.isascii() and data.isdigit():
                university = queryset.filter(pk=int(data)).first()
        if university is None:
            raise serializers.ValidationError(self.error_messages["does_not_exist"] % {"value": data})
        return university

    def to_representation(self, value: University | PKOnlyObject) -> str:
        # The whole university arrives here: only primary-key fields take DRF's pk-only shortcut.
        assert isinstance(value, University)
        return value.slug


class CoAuthorInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=255)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    university = UniversityReferenceField(
        queryset=University.objects.all(), required=False, allow_null=True, default=None
    )

    def to_internal_value(self, data: Any) -> CoAuthorData:
        values = super().to_internal_value(data)
        # A partial update (PATCH) reaches nested fields too: it neither requires them nor fills their defaults,
        # but a co-author who is listed is listed whole.
        if "full_name" not in values:
            raise serializers.ValidationError({"full_name": [self.fields["full_name"].error_messages["required"]]})
        return CoAuthorData(
            full_name=values["full_name"], email=values.get("email", ""), university=values.get("university")
        )


class EntryWriteSerializer(serializers.Serializer):
    """What a participant may send to change their entry; the contest's rules are checked by the services."""

    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    nomination = serializers.PrimaryKeyRelatedField(queryset=Nomination.objects.all())
    platforms = serializers.PrimaryKeyRelatedField(
        queryset=Platform.objects.all(),
        many=True,
        allow_empty=False,
        help_text=_("Ids of the platforms used: at least one, all of the entry's contest."),
    )
    other_platform = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text=_("The platform's name, when one of the chosen platforms stands for other platforms."),
    )
    # A plain text field with our validator: Django's URL field would also take ftp:// links.
    live_url = serializers.CharField(max_length=500, required=False, allow_blank=True, validators=[validate_http_url])
    consent_to_publish = serializers.BooleanField(required=False)
    coauthors = CoAuthorInputSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Pointing at another contest's nomination or platform is a malformed reference, told field by field.
        # A new entry names its contest; a change is checked against the entry's contest, given by the view.
        contest: Contest = attrs.get("contest") or self.context["contest"]
        errors: dict[str, list[str]] = {}
        nomination = attrs.get("nomination")
        if nomination is not None and nomination.contest_id != contest.pk:
            errors["nomination"] = [str(_("This nomination belongs to another contest."))]
        if any(platform.contest_id != contest.pk for platform in attrs.get("platforms", ())):
            errors["platforms"] = [str(_("This platform belongs to another contest."))]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class EntryCreateSerializer(EntryWriteSerializer):
    contest = serializers.SlugRelatedField(slug_field="slug", queryset=contests_visible())
