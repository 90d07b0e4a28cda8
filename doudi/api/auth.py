from ninja.security import HttpBearer, django_auth

from doudi.accounts.actions import token_authenticate


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token> (tokens are made on the API tokens page)."""

    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]
