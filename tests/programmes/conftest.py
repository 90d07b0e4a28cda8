import datetime as dt

import pytest

from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.inputs import household_from_json

D2015 = dt.date(2015, 6, 1)


@pytest.fixture
def pack(areas):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)


def person(name="甲", birth="1965-05-01", relation="head", **extra):
    return {"name": name, "birth_date": birth, "relation": relation, **extra}


def household(*members, hukou="rural", **extra):
    return {"hukou_type": hukou, "members": list(members) or [person()], **extra}


@pytest.fixture
def decide(pack):
    def _decide(raw, programme="dibao", on=D2015):
        return evaluate(programme, household_from_json(raw), on).as_dict()

    return _decide
