"""PostgreSQL keeps a finer histogram for the area codes scoped queries filter on by prefix."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_area_columns_have_fine_statistics():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as c:
        c.execute("""SELECT attrelid::regclass::text, attstattarget FROM pg_attribute
                     WHERE attname IN ('area_id', 'area_code') AND attstattarget > 0 ORDER BY 1""")
        assert dict(c.fetchall()) == {
            "audit_auditevent": 1000,
            "cases_application": 1000,
            "cases_case": 1000,
            "cases_enrolment": 1000,
            "payments_payrollline": 1000,
            "registry_household": 1000,
        }
