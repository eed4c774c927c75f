from collections import defaultdict

from django.conf import settings
from django.db import migrations


def drop_own_entry_assignments(apps, schema_editor):
    """Withdraw every assignment of a juror to an entry they wrote or co-wrote that has no review yet.

    The same rule as ``judging.selectors.jury.entrant_pairs``: the juror's account is the author's, or one of the
    juror's e-mail addresses (their account's, or any allauth keeps) is the author's or a co-author's, case
    aside. Assignments with a review are left for the organisers, who see such jurors on the jury page.
    """
    Assignment = apps.get_model("judging", "Assignment")
    Review = apps.get_model("judging", "Review")
    CoAuthor = apps.get_model("contest", "CoAuthor")
    EmailAddress = apps.get_model("account", "EmailAddress")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    rows = list(Assignment.objects.values_list("pk", "round_id", "entry_id", "juror__user_id", "entry__author_id"))
    if not rows:
        return
    users = {row[3] for row in rows} | {row[4] for row in rows}
    account = {}
    for user_id, email in User.objects.filter(pk__in=users).values_list("pk", "email"):
        account[user_id] = email.lower()
    addresses = defaultdict(set)  # a juror's: their account's and every one allauth keeps
    for user_id, email in account.items():
        addresses[user_id].add(email)
    for user_id, email in EmailAddress.objects.filter(user_id__in=users).values_list("user_id", "email"):
        addresses[user_id].add(email.lower())
    coauthors = defaultdict(set)
    entries = {row[2] for row in rows}
    for entry_id, email in CoAuthor.objects.filter(entry_id__in=entries).values_list("entry_id", "email"):
        if email:
            coauthors[entry_id].add(email.lower())
    reviewed = set(Review.objects.values_list("round_id", "juror__user_id", "entry_id"))
    own = []
    for pk, round_id, entry_id, juror_user, author in rows:
        mine = addresses.get(juror_user, set()) - {""}
        wrote = juror_user == author or bool(mine & ({account.get(author, "")} | coauthors.get(entry_id, set())))
        if wrote and (round_id, juror_user, entry_id) not in reviewed:
            own.append(pk)
    Assignment.objects.filter(pk__in=own).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        ("contest", "0003_entry_author_university"),
        ("judging", "0006_conflict_state_and_review_set_aside"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(drop_own_entry_assignments, migrations.RunPython.noop)]
