"""A person's API tokens, included under ``account/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.accounts import views

urlpatterns = [
    path("tokens/", views.tokens, name="account_tokens"),
    path("tokens/<id:pk>/revoke/", views.token_revoke, name="account_token_revoke"),
]
