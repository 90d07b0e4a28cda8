from ninja.security import HttpBearer, django_auth


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token> (tokens are made on the API tokens page)."""

    def authenticate(self, request, token):
        from doudi.accounts.actions import token_authenticate

        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]
