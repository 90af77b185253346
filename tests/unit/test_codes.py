"""The codes derived from a form stay the same from one release to the next: a form sent
before an upgrade and again after it must be shown the code its case was stored with."""

from portal.services.submissions.codes import access_code_for, draft_token_hash, keyed_hash

PEPPER = b"p" * 32


def test_the_access_code_of_a_form_key_is_what_it_always_was() -> None:
    # Values computed with the first implementation (hmac.new(...).digest() per byte drawn).
    assert access_code_for(PEPPER, "abc") == "8U9S-R8SZ-W8VB-6XQG-NJ"
    assert access_code_for(PEPPER, "form-key-1") == "HAAS-ZUN3-3433-9RD5-KJ"
    assert access_code_for(PEPPER, "x" * 40) == "3F3A-UDWN-CUNE-8X7J-DP"


def test_keyed_hashes_are_hmac_sha256_of_purpose_and_value() -> None:
    # hmac.new(b"p" * 32, b"email:a@b.vn", hashlib.sha256).hexdigest()
    assert keyed_hash(PEPPER, "email", "a@b.vn") == (
        "d095b8516c99c16c833d4e972e2ceb1a0264b7ce82d08db1ca3cd0fdefe36bea"
    )
    assert draft_token_hash(PEPPER, "t") == keyed_hash(PEPPER, "draft", "t")
