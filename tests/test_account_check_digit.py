"""A bank card number that fails its check digit is warned about at entry and saved only once confirmed (a passbook
account may have no check digit, so it is never simply refused); a negative income says so once."""

from __future__ import annotations

import re

import pytest
from stdnum import luhn

from doudi.registry.models import Household
from doudi.registry.validation import account_check_warning

from .conftest import make_id

pytestmark = pytest.mark.django_db

GOOD = "621700009999888877"
GOOD += luhn.calc_check_digit(GOOD)
BAD = GOOD[:-1] + str((int(GOOD[-1]) + 3) % 10)


def test_the_check():
    assert account_check_warning(GOOD) is None
    assert account_check_warning(BAD).startswith("卡号校验位不符，请核对")
    assert account_check_warning("") is None and account_check_warning("12345678901") is None  # not a card


def _register_post(**extra):
    return {
        "area": "511425101201",
        "hukou_type": "rural",
        "bank_name": "农村信用社",
        "bank_account": BAD,
        "account_holder": "孙大",
        "member_count": "1",
        "m0-name": "孙大",
        "m0-id_number": make_id("1966-06-06", 6),
        "m0-relation": "head",
        "m0-labour_capacity": "full",
        **extra,
    }


def test_register_form_warns_keeps_values_and_saves_once_confirmed(client_for, staff):
    c = client_for(staff["caseworker_a"])
    r = c.post("/households/new/", _register_post())
    page = r.content.decode()
    assert r.status_code == 200 and not Household.objects.exists()
    assert "卡号校验位不符，请核对" in page
    assert 'name="account_confirmed"' in page and "卡号已核对无误" in page
    assert f'value="{BAD}"' in page and 'value="孙大"' in page  # nothing to retype
    r = c.post("/households/new/", _register_post(account_confirmed="on"))
    assert r.status_code == 302
    assert Household.objects.get().bank_account == BAD
    # a correct number is saved without being asked
    r = c.post("/households/new/", _register_post(bank_account=GOOD, **{"m0-id_number": make_id("1967-07-07", 7)}))
    assert r.status_code == 302 and GOOD in [h.bank_account for h in Household.objects.all()]  # encrypted column


def test_edit_form_asks_only_when_the_account_changes(client_for, staff, register):
    h = register(bank_account=GOOD)
    c = client_for(staff["caseworker_a"])
    post = {"area": h.area_id, "hukou_type": "rural", "phone": "13800001111", "bank_account": BAD}
    r = c.post(f"/households/{h.pk}/edit/", post)
    assert r.status_code == 200 and "卡号校验位不符，请核对" in r.content.decode()
    h.refresh_from_db()
    assert h.bank_account == GOOD
    assert c.post(f"/households/{h.pk}/edit/", {**post, "account_confirmed": "on"}).status_code == 302
    h.refresh_from_db()
    assert h.bank_account == BAD
    # the stored number unchanged: an edit of the phone is not asked about it again
    assert c.post(f"/households/{h.pk}/edit/", {**post, "phone": "13800002222"}).status_code == 302


def test_negative_income_message_once(client_for, staff, register):
    h = register()
    head = h.memberships.get(relation="head").person
    r = client_for(staff["caseworker_a"]).post(
        f"/households/{h.pk}/incomes/new/", {"person": head.pk, "kind": "wage", "monthly": "-5"}
    )
    errors = re.findall(r'class="field-error"[^>]*>([^<]*)<', r.content.decode())
    assert len(errors) == 1 and "月均金额" in errors[0], errors
