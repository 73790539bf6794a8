"""What finds an event registered twice, and the record of registering one anyway.

`MatchKey` rows are what the duplicate checks read (apps/registrations/duplicates):
the people an event records (the child, the mother, the deceased, the spouses) and a
divorce's decree, each reduced to the values compared, written when the event is
submitted. A draft has none, so drafts are never anyone's duplicate.

`DuplicateFlag` is a registrar's decision to register an event although earlier
events looked like the same one: their reason, and which events with which rule.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.registrations.models.events import VitalEvent


class MatchKind(models.TextChoices):
    """What a key holds, by event type: a name key (apps/registrations/search.py), a
    national ID number, or a court with its decree number."""

    CHILD_NAME = "birth.child_name", _("Child's name")
    MOTHER_UIN = "birth.mother_uin", _("Mother's UIN")
    MOTHER_NAME = "birth.mother_name", _("Mother's name and date of birth")
    DECEASED_ID = "death.deceased_id", _("Deceased's UIN or VID")
    DECEASED_NAME = "death.deceased_name", _("Deceased's name and date of birth")
    MARRIED_UIN = "marriage.spouse_uin", _("Spouse's UIN")
    MARRIED_NAME = "marriage.spouse_name", _("Spouse's name and date of birth")
    DIVORCED_UIN = "divorce.spouse_uin", _("Spouse's UIN")
    DIVORCED_NAME = "divorce.spouse_name", _("Spouse's name and date of birth")
    DECREE = "divorce.decree", _("Court and decree number")


class MatchKey(models.Model):
    """One value of a submitted event that another event of the same person may share.

    `office` and `event_date` are copied from the event so that every check reads
    this table alone, through one of its two indexes."""

    # Indexed by the (event, kind) index, which starts with it.
    event = models.ForeignKey(
        VitalEvent,
        on_delete=models.CASCADE,
        related_name="match_keys",
        db_index=False,
    )
    kind = models.CharField(max_length=32, choices=MatchKind.choices)
    value = models.CharField(max_length=200)
    # The person's date of birth, for keys matched on a name and a date of birth.
    born = models.DateField(null=True, blank=True)
    # Which spouse (1 or 2) a spouse key belongs to; 0 for everyone else.
    person = models.PositiveSmallIntegerField(default=0)
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    event_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # An identifier, or a name with a date of birth, across every office.
            models.Index(fields=["kind", "value", "born"], name="matchkey_value"),
            # Names of children born in a few days at one office, compared by
            # similarity on the few rows the range leaves.
            models.Index(
                fields=["kind", "office", "event_date"], name="matchkey_office_date"
            ),
            models.Index(fields=["event", "kind"], name="matchkey_event"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class DuplicateRule(models.TextChoices):
    """Why an earlier event looked like the same one (docs/duplicates.md)."""

    MOTHER_UIN = "mother_uin", _("Same mother's UIN, child born days apart")
    MOTHER_NAME = (
        "mother_name",
        "Same mother's name and date of birth, child born days apart",
    )
    CHILD_NAME = "child_name", _("Similar child's name, born days apart, same office")
    DECEASED_ID = "deceased_id", _("Same deceased's UIN or VID")
    DECEASED_NAME = "deceased_name", _("Same deceased's name and date of birth")
    SAME_COUPLE_MARRIED = (
        "married",
        _("Same two people, married and not divorced since"),
    )
    SAME_DECREE = "decree", _("Same decree number at the same court")
    SAME_COUPLE_DIVORCED = (
        "divorced",
        "Same two people, divorced and not remarried since",
    )


class DuplicateFlag(models.Model):
    """An event registered although earlier events looked like the same one."""

    # Indexed by the (event, flagged at) index, which starts with it.
    event = models.ForeignKey(
        VitalEvent,
        on_delete=models.PROTECT,
        related_name="duplicate_flags",
        db_index=False,
    )
    reason = models.TextField(max_length=1000)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    flagged_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-flagged_at", "-id"]
        indexes = [
            models.Index(fields=["event", "flagged_at"], name="duplicateflag_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} flagged {self.flagged_at:%Y-%m-%d %H:%M}"


class DuplicateCandidate(models.Model):
    """One earlier event a flag names, with the strongest rule it matched by."""

    # Indexed by the unique (flag, candidate) constraint, which starts with it.
    flag = models.ForeignKey(
        DuplicateFlag,
        on_delete=models.CASCADE,
        related_name="candidates",
        db_index=False,
    )
    candidate = models.ForeignKey(
        VitalEvent, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(max_length=20, choices=DuplicateRule.choices)
    # 1 for a rule on equal values; the names' similarity for a name rule.
    score = models.FloatField(default=1.0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["flag", "candidate"], name="duplicatecandidate_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} ({self.rule})"
