from django.contrib.auth import views as auth_views
from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import security_views, views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", views.tokens, name="tokens"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<key:pk>/toggle/", views.staff_toggle, name="staff_toggle"),
    path("staff/<key:pk>/", views.staff_edit, name="staff_edit"),
    path("staff/<key:pk>/password-reset/", views.staff_password_reset, name="staff_password_reset"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/2fa/", views.second_factor, name="second_factor"),
    path("accounts/2fa/recovery/", views.recovery_codes, name="recovery_codes"),
    # the security administrator's (三员分立)
    path("security/", security_views.security_policy, name="security_policy"),
    path("security/accounts/", security_views.security_accounts, name="security_accounts"),
    path("security/accounts/<key:pk>/", security_views.security_account, name="security_account"),
    path(
        "security/accounts/<key:pk>/2fa-reset/",
        security_views.security_second_factor_reset,
        name="security_second_factor_reset",
    ),
    path("security/accounts/<key:pk>/token/", security_views.security_token_bind, name="security_token_bind"),
    path("security/accounts/<key:pk>/unlock/", security_views.security_unlock, name="security_unlock"),
    path("security/keys/", security_views.security_keys, name="security_keys"),
]
