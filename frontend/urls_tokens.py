"""A person's API tokens, included under ``account/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.views import account_tokens

urlpatterns = [
    path("tokens/", account_tokens.tokens, name="account_tokens"),
    path("tokens/<id:pk>/revoke/", account_tokens.token_revoke, name="account_token_revoke"),
]
