"""API v1 shapes of an entry with its file: the file as its author sees it, within the participant's entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from contest.enums import EntryStatus
from contest.models import Contest, Entry
from contest.serializers import CoAuthorSerializer, EntryNominationSerializer, EntryPlatformSerializer
from media_pipeline.enums import AssetStatus, MediaKind
from media_pipeline.models import MediaAsset
from media_pipeline.reasons import reason_text


class EntryMediaSerializer(serializers.ModelSerializer):
    """The entry's file as its author sees it: why it failed in their language, never a tool's output."""

    name = serializers.CharField(source="original_name", read_only=True)
    kind = serializers.ChoiceField(choices=MediaKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=AssetStatus.choices, read_only=True)
    reason = serializers.SerializerMethodField(help_text=_("Why the file failed, in the reader's language."))
    reason_code = serializers.CharField(read_only=True, help_text=_("Why the file failed, as a stable code."))

    class Meta:
        model = MediaAsset
        fields = ["name", "kind", "size", "status", "reason", "reason_code"]
        read_only_fields = fields

    def get_reason(self, asset: MediaAsset) -> str:
        # The stored detail (a tool's error output, server paths) stays for the operators.
        if asset.reason_code:
            return reason_text(asset.reason_code, asset.reason_params)
        return reason_text("internal") if asset.status == AssetStatus.FAILED else ""


class EntrySerializer(serializers.ModelSerializer):
    """A participant's own entry as they see it."""

    contest: serializers.SlugRelatedField[Contest] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    nomination = EntryNominationSerializer(read_only=True)
    platforms = EntryPlatformSerializer(many=True, read_only=True)
    coauthors = CoAuthorSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=EntryStatus.choices, read_only=True)
    media = EntryMediaSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Entry
        fields = [
            "code",
            "contest",
            "title",
            "description",
            "nomination",
            "platforms",
            "other_platform",
            "live_url",
            "consent_to_publish",
            "coauthors",
            "status",
            "submitted_at",
            "disqualified_at",
            "disqualification_reason",
            "media",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
