"""API v1 routes of the contest app."""

from django.urls import path

urlpatterns: list = []
