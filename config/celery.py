"""The Celery application: one app, three queues (default, media, office)."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("baige")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("media"), Queue("office"))
app.conf.task_default_queue = "default"
# Long work goes to its own queue: transcodes to "media", LibreOffice to "office".
app.conf.task_routes = {
    "media_pipeline.office.*": {"queue": "office"},
    "media_pipeline.media.*": {"queue": "media"},
}
app.autodiscover_tasks()
