import time

import pytest

from contest.services import entry_submit
from tests.factories import EntryFactory, ProfileFactory


@pytest.mark.services
def test_entry_submit_email_sent_by_live_worker(celery_worker_process):
    mail_dir = celery_worker_process
    author = ProfileFactory(preferred_language="en").user
    entry = EntryFactory(author=author, with_media=True)
    entry_submit(actor=author, entry=entry)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (mail_dir.exists() and any(mail_dir.iterdir())):
        time.sleep(0.2)
    messages = [path.read_text() for path in mail_dir.iterdir()] if mail_dir.exists() else []
    assert len(messages) == 1
    assert f"Entry {entry.code} received" in messages[0]
    assert f"To: {author.email}" in messages[0]
