import hashlib

from trackers import keys, services
from trackers.grants import grant_authenticate, grant_of
from trackers.models import ApiKey


def test_the_secret_has_the_nm_prefix_and_256_bits_of_randomness():
    secret = keys.api_key_generate()
    assert secret.startswith("nm_")
    assert len(secret) == 3 + 43  # 32 bytes in unpadded URL-safe base64
    assert keys.api_key_is_well_formed(secret)
    assert len({keys.api_key_generate() for _ in range(200)}) == 200


def test_the_hash_is_the_sha256_hex_digest_of_the_whole_secret():
    secret = keys.api_key_generate()
    assert keys.api_key_hash(secret) == hashlib.sha256(secret.encode()).hexdigest()
    assert keys.api_key_hash(secret) != keys.api_key_hash(secret[:-1] + ("A" if secret[-1] != "A" else "B"))


def test_only_the_hash_and_a_short_prefix_are_stored(tenant):
    api_key, secret = services.api_key_issue(account=tenant.account, name="stored")
    row = ApiKey.objects.filter(pk=api_key.pk).values().get()
    assert secret not in {str(value) for value in row.values()}
    assert row["hashed_secret"] == keys.api_key_hash(secret)
    assert row["prefix"] == secret[:11]
    assert secret.startswith(api_key.masked.rstrip("…"))


def test_a_key_is_found_by_its_secret_and_not_once_revoked(tenant):
    assert grant_authenticate(tenant.secret) == grant_of(tenant.api_key)
    assert grant_authenticate(tenant.secret + "x") is None
    services.api_key_revoke(api_key=tenant.api_key)
    assert grant_authenticate(tenant.secret) is None


def test_malformed_secrets_never_reach_the_database(tenant, django_assert_num_queries):
    with django_assert_num_queries(0):
        for value in ("", "nm_", "nm_short", "xx_" + "A" * 43, "nm_" + "A" * 42 + "!"):
            assert grant_authenticate(value) is None
