"""API v1 shapes of a juror's work: assignments, assigned entries (blind or not) and their own reviews."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contest.models import CoAuthor, Entry, University
from contest.serializers import EntryNominationSerializer, EntryPlatformSerializer, UniversityBriefSerializer
from judging.enums import ReviewStatus
from judging.models import Assignment, Conflict, Criterion, Review, Round
from judging.selectors.public import PublishedAward
from judging.services.reviews import MAX_TEXT_LENGTH
from media_pipeline.enums import AssetStatus, MediaKind
from media_pipeline.models import MediaAsset

#: The review status of an assignment nobody has started to score.
NO_REVIEW = "none"
REVIEW_STATES = [(NO_REVIEW, _("Not started")), *ReviewStatus.choices]


MEDIA_PREPARING = "preparing"
JURY_MEDIA_STATES = [
    (MEDIA_PREPARING, _("Being prepared")),
    (AssetStatus.READY.value, AssetStatus.READY.label),
    (AssetStatus.FAILED.value, AssetStatus.FAILED.label),
]


class JuryRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "number", "name", "blind", "opens_at", "closes_at"]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    """One entry assigned to the requesting juror, with how far their review of it is."""

    code = serializers.CharField(source="entry.code", read_only=True)
    title = serializers.CharField(source="entry.title", read_only=True)
    round = JuryRoundSerializer(read_only=True)
    review_status = serializers.ChoiceField(
        choices=REVIEW_STATES,
        read_only=True,
        help_text=_("Your review of the entry: not started, a draft, or submitted."),
    )

    class Meta:
        model = Assignment
        fields = ["code", "title", "round", "review_status"]
        read_only_fields = fields

    def to_representation(self, instance: Assignment) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["review_status"] = getattr(instance, "review_status", None) or NO_REVIEW
        return data


class JuryMediaSerializer(serializers.ModelSerializer):
    """An entry's file as a juror sees it; the file's own name is left out, as it may name its author."""

    kind = serializers.ChoiceField(choices=MediaKind.choices, read_only=True)
    # Jurors only need to know whether they can look at the file yet, not each step of its processing.
    status = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField(help_text=_("Names of the viewable versions, once ready."))

    class Meta:
        model = MediaAsset
        fields = ["kind", "status", "renditions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=JURY_MEDIA_STATES))
    def get_status(self, asset: MediaAsset) -> str:
        if asset.status in (AssetStatus.READY, AssetStatus.FAILED):
            return str(asset.status)
        return MEDIA_PREPARING

    def get_renditions(self, asset: MediaAsset) -> list[str]:
        if asset.status != AssetStatus.READY:
            return []
        return [rendition.name for rendition in asset.renditions.all()]


class JuryCoAuthorSerializer(serializers.ModelSerializer):
    university = UniversityBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CoAuthor
        fields = ["full_name", "university"]
        read_only_fields = fields


class JuryAuthorsSerializer(serializers.Serializer):
    full_name = serializers.CharField(read_only=True, help_text=_("The author's full name."))
    coauthors = JuryCoAuthorSerializer(many=True, read_only=True)


class JuryCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["slug", "name", "description", "weight", "max_score"]
        read_only_fields = fields


class JuryEntrySerializer(serializers.ModelSerializer):
    """An assigned entry. ``authors`` and ``university`` are ``null`` in a blind round."""

    nomination = EntryNominationSerializer(read_only=True)
    platforms = EntryPlatformSerializer(many=True, read_only=True)
    media = JuryMediaSerializer(read_only=True, allow_null=True)
    round = serializers.SerializerMethodField()
    criteria = serializers.SerializerMethodField()
    authors = serializers.SerializerMethodField()
    university = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "code",
            "title",
            "description",
            "nomination",
            "platforms",
            "other_platform",
            "live_url",
            "media",
            "round",
            "criteria",
            "authors",
            "university",
        ]
        read_only_fields = fields

    @extend_schema_field(JuryRoundSerializer)
    def get_round(self, entry: Entry) -> dict[str, Any]:
        return dict(JuryRoundSerializer(self.context["round"]).data)

    @extend_schema_field(JuryCriterionSerializer(many=True))
    def get_criteria(self, entry: Entry) -> list[dict[str, Any]]:
        return list(JuryCriterionSerializer(self.context["criteria"], many=True).data)

    @extend_schema_field(JuryAuthorsSerializer(allow_null=True))
    def get_authors(self, entry: Entry) -> dict[str, Any] | None:
        if not self.context["show_authors"]:
            return None
        profile = getattr(entry.author, "profile", None)
        authors = {"full_name": profile.full_name if profile else "", "coauthors": entry.coauthors.all()}
        return dict(JuryAuthorsSerializer(authors).data)

    @extend_schema_field(UniversityBriefSerializer(allow_null=True))
    def get_university(self, entry: Entry) -> dict[str, Any] | None:
        university = entry.university_of_author if self.context["show_authors"] else None
        if university is None:
            return None
        return dict(UniversityBriefSerializer(university).data)


# Reviews ----------------------------------------------------------------------------------------------------------


class ReviewSerializer(serializers.Serializer):
    """The requesting juror's own review of an entry; ``review_status`` is ``none`` before the first save."""

    # Named as in the list of assignments: one name for one set of values.
    review_status = serializers.ChoiceField(choices=REVIEW_STATES, read_only=True)
    scores = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text=_("Scores by criterion short name.")
    )
    comments = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Your comments for the entrant by criterion short name (only the criteria you commented on)."),
    )
    feedback = serializers.CharField(read_only=True, help_text=_("Your feedback for the entrant."))
    comment = serializers.CharField(
        read_only=True, help_text=_("Your note for the organisers, never shown to the entrant.")
    )
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def to_representation(self, instance: Review | None) -> dict[str, Any]:
        if instance is None:
            return {
                "review_status": NO_REVIEW,
                "scores": {},
                "comments": {},
                "feedback": "",
                "comment": "",
                "submitted_at": None,
                "updated_at": None,
            }
        field = serializers.DateTimeField()
        scores = instance.scores.all()
        return {
            "review_status": instance.status,
            "scores": {score.criterion.slug: score.value for score in scores},
            "comments": {score.criterion.slug: score.comment for score in scores if score.comment},
            "feedback": instance.feedback,
            "comment": instance.comment,
            "submitted_at": field.to_representation(instance.submitted_at) if instance.submitted_at else None,
            "updated_at": field.to_representation(instance.updated_at),
        }


class ReviewWriteSerializer(serializers.Serializer):
    """Scores and comments by criterion short name, feedback for the entrant, a note for the organisers; all optional.

    Whether a score is within its criterion's scale, and whether the round asks for feedback, is checked by the
    judging services.
    """

    scores = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        required=False,
        default=dict,
        help_text=_('Scores by criterion short name, e.g. {"clarity": 4}; null clears a score of a draft.'),
    )
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=MAX_TEXT_LENGTH, trim_whitespace=False),
        required=False,
        default=dict,
        help_text=_(
            "Comments for the entrant by criterion short name; an empty one clears it, a criterion left out keeps "
            "its comment. A comment needs its criterion scored."
        ),
    )
    feedback = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        max_length=MAX_TEXT_LENGTH,
        help_text=_("Feedback for the entrant; left out, it keeps its value."),
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        max_length=MAX_TEXT_LENGTH,
        help_text=_("The note for the organisers, never shown to the entrant; left out, it keeps its value."),
    )

    def _criterion_ids(self) -> dict[str, int]:
        if not hasattr(self, "_ids"):
            criteria = Criterion.objects.filter(rubric__contest=self.context["contest"])
            self._ids: dict[str, int] = dict(criteria.values_list("slug", "pk"))
        return self._ids

    def _by_id(self, given: dict[str, Any]) -> dict[int, Any]:
        """The values keyed by criterion id; an unknown short name is an input error."""
        ids = self._criterion_ids()
        unknown = sorted(slug for slug in given if slug not in ids)
        if unknown:
            raise serializers.ValidationError(_("Unknown criteria: %(criteria)s.") % {"criteria": ", ".join(unknown)})
        return {ids[slug]: value for slug, value in given.items()}

    def validate_scores(self, scores: dict[str, int | None]) -> dict[int, int | None]:
        return self._by_id(scores)

    def validate_comments(self, comments: dict[str, str]) -> dict[int, str]:
        return self._by_id(comments)


class PublishedRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["number", "name"]
        read_only_fields = fields


class PublishedAwardSerializer(serializers.Serializer):
    """A published award: where it was given, to which entry, and its post; names only with the authors' consent."""

    round = PublishedRoundSerializer(read_only=True)
    nomination = EntryNominationSerializer(source="post.nomination", read_only=True, allow_null=True)
    place = serializers.IntegerField(
        source="post.place", read_only=True, allow_null=True, help_text=_("1–3; null for a special award.")
    )
    award = serializers.CharField(
        source="post.award", read_only=True, help_text=_("The place, or the special award's name.")
    )
    entry_title = serializers.CharField(source="post.entry.title", read_only=True, allow_null=True)
    platforms = EntryPlatformSerializer(source="post.platforms", many=True, read_only=True)
    live_url = serializers.CharField(source="post.live_url", read_only=True)
    post_url = serializers.SerializerMethodField(help_text=_("The address of the award's blog post."))
    authors = serializers.SerializerMethodField(help_text=_("Null unless the authors consented to publication."))
    university = serializers.SerializerMethodField(help_text=_("Null unless the authors consented to publication."))
    published_at = serializers.DateTimeField(source="post.published_at", read_only=True)

    def get_post_url(self, award: PublishedAward) -> str:
        path = reverse("frontend:blog_post", kwargs={"contest": award.post.contest.slug, "slug": award.post.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_authors(self, award: PublishedAward) -> str | None:
        return award.post.authors_text if award.post.show_authors else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_university(self, award: PublishedAward) -> str | None:
        return award.post.university_text if award.post.show_authors else None


class DeclaredConflictSerializer(serializers.ModelSerializer):
    """A juror's declaration as they may see it: only what they named, as they named it, and whether it waits."""

    university = UniversityBriefSerializer(read_only=True, allow_null=True)
    entry_code = serializers.CharField(source="named_code", read_only=True)

    class Meta:
        model = Conflict
        fields = ["university", "entry_code", "reason", "state"]
        read_only_fields = fields


class ConflictDeclareSerializer(serializers.Serializer):
    """Conflicts to declare: universities by id and entries by code, with one reason for all."""

    universities = serializers.PrimaryKeyRelatedField(
        queryset=University.objects.all(), many=True, required=False, default=list
    )
    entry_codes = serializers.ListField(
        child=serializers.CharField(max_length=20, allow_blank=False), required=False, default=list, max_length=50
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["universities"] and not attrs["entry_codes"]:
            raise serializers.ValidationError(_("Tick a university or write an entry's code."))
        return attrs


class ConflictsDeclaredSerializer(serializers.Serializer):
    """The answer to a declaration: what the juror is told, and all their declarations in the contest."""

    detail = serializers.CharField()
    conflicts = DeclaredConflictSerializer(many=True)


# --- An entry's results, for its authors ---------------------------------------------------------


class AwardShownSerializer(serializers.Serializer):
    place = serializers.IntegerField(allow_null=True, help_text="1–3, or null for a special award.")
    nomination = serializers.CharField()
    name = serializers.CharField(help_text="The special award's name; empty for a place.")


class CriterionMeanSerializer(serializers.Serializer):
    name = serializers.CharField()
    mean = serializers.FloatField()
    max_score = serializers.IntegerField()


class CriterionCommentSerializer(serializers.Serializer):
    name = serializers.CharField()
    text = serializers.CharField()


class JurorNoteSerializer(serializers.Serializer):
    juror = serializers.CharField(help_text="“Juror A”, “Juror B”, …: never who they are.")
    feedback = serializers.CharField()
    comments = CriterionCommentSerializer(many=True)


class RoundStorySerializer(serializers.Serializer):
    round_number = serializers.IntegerField()
    round_name = serializers.CharField()
    view = serializers.CharField(help_text="What the round shares: outcome, scores or feedback.")
    final = serializers.BooleanField(help_text="The round has finalised results of its own.")
    shortlisted = serializers.BooleanField()
    outcome = serializers.CharField(help_text="The outcome in a sentence of the requested language.")
    awards = AwardShownSerializer(many=True)
    total = serializers.FloatField(allow_null=True, help_text="T, 0–100, when the round shares the scores.")
    criteria = CriterionMeanSerializer(many=True)
    notes = JurorNoteSerializer(many=True)
