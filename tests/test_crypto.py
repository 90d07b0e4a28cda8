"""Values encrypted at rest (doudi/core/crypto.py): SM4-GCM by default, AES-256-GCM as the alternative, each value
naming its cipher and key id (so keys rotate and both ciphers can be read), bound to its kind of data; keyed
blind indexes for equality search."""

import pytest

from doudi.core import crypto, keys
from doudi.core.crypto import DecryptionError, blind_index, value_key_id, value_open, value_seal


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path):
    settings.DOUDI_KEY_FILE = tmp_path / "keys.json"
    keys.cache_clear()
    crypto._aeads.clear()
    yield
    keys.cache_clear()
    crypto._aeads.clear()


def test_a_value_round_trips_and_is_not_readable_stored():
    stored = value_seal("511425197503020110", column="id_number")
    assert stored.startswith("e1:s:data-1-") and "511425" not in stored and "0110" not in stored
    assert value_open(stored, column="id_number") == "511425197503020110"
    assert value_seal("511425197503020110", column="id_number") != stored  # randomised: equal values differ
    assert value_seal("", column="id_number") == "" and value_open("plain, not yet migrated", column="x") == (
        "plain, not yet migrated"
    )


def test_a_value_does_not_open_as_another_kind_of_data_or_when_changed():
    stored = value_seal("6217000011112222333", column="bank_account")
    with pytest.raises(DecryptionError):
        value_open(stored, column="id_number")
    changed = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with pytest.raises(DecryptionError):
        value_open(changed, column="bank_account")


def test_aes_gcm_and_sm4_gcm_values_live_side_by_side_across_a_key_rotation(settings):
    sm4 = value_seal("13800001111", column="phone")
    keys.keys_add("data")
    settings.DOUDI_CIPHER = "AES-256-GCM"
    aes = value_seal("13800001111", column="phone")
    assert aes.startswith("e1:a:data-2-") and value_key_id(sm4).startswith("data-1-")
    assert value_open(sm4, column="phone") == value_open(aes, column="phone") == "13800001111"


def test_blind_index_is_keyed_deterministic_and_separated_by_domain(settings, tmp_path):
    a = blind_index("511425197503020110", domain="id_number")
    assert a == blind_index("511425197503020110", domain="id_number") and len(a) == 32
    assert a != blind_index("511425197503020110", domain="id_last4")
    assert a != blind_index("511425197503020111", domain="id_number") and blind_index("", domain="x") == ""
    settings.DOUDI_KEY_FILE = tmp_path / "other.json"
    keys.cache_clear()
    assert blind_index("511425197503020110", domain="id_number") != a  # another key, another index
