"""Open311 GeoReport v2 at /open311/v2, in JSON and XML, checked against the fields of the
specification (https://wiki.open311.org/GeoReport_v2 and its Service Discovery page)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import current_app
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog, Case
from portal.services import api_tokens
from portal.services.deadlines import load_calendar
from portal.services.submissions import access_code_for, find_by_code
from portal.services.workflow import ActionInput, perform
from portal.web.rules import current_rules
from portal.web.security import VIETNAM, today_local
from tests.api_helpers import make_token
from tests.factories import make_case, make_division, make_user

BASE = "/open311/v2"
ANSWER = "Sở đã yêu cầu doanh nghiệp dựng lại cột điện trong 3 ngày."
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
REFLECTION = {
    "service_code": "reflection",
    "lat": "11.310000",
    "long": "106.098000",
    "address_string": "Đường 30/4, phường Tân Ninh, tỉnh Tây Ninh",
    "first_name": "Bình",
    "last_name": "Nguyễn Văn",
    "phone": "0912 345 678",
    "description": "Cột điện viễn thông đổ chắn ngang đường sau cơn bão.\nRất nguy hiểm.",
    "attribute[field]": "telecom",
    "attribute[consent]": "true",
}
PETITION = {
    "service_code": "petition",
    "first_name": "Lan",
    "last_name": "Trần Thị",
    "email": "lan@example.com",
    "description": "Đề nghị cho nộp hồ sơ cấp phép xuất bản bản tin trực tuyến.",
    "attribute[subject]": "Nộp hồ sơ xuất bản trực tuyến",
    "attribute[requested_outcome]": "Mở dịch vụ công trực tuyến toàn trình.",
    "attribute[consent]": "true",
}


@pytest.fixture
def english(client: Any) -> Any:
    """Messages compared word for word are read in English (Vietnamese comes later)."""
    client.set_cookie("lang", "en")
    return client


def _xml(response: Any) -> ElementTree.Element:
    body = response.get_data(as_text=True)
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert response.content_type == "text/xml; charset=utf-8"
    return ElementTree.fromstring(response.get_data())  # noqa: S314  (our own response)


def _json(response: Any) -> Any:
    assert response.content_type == "application/json; charset=utf-8"
    return response.get_json()


def _issue(scope: str = "create_cases", name: str = "Trung tâm điều hành thông minh") -> str:
    division = make_division() if scope == "read_cases" else None
    return make_token(scope, division, name)


def _post(client: Any, fields: dict[str, str], *, key: str | None, fmt: str = "json") -> Any:
    data = dict(fields)
    if key is not None:
        data["api_key"] = key
    return client.post(f"{BASE}/requests.{fmt}", data=data)


def _case(number: str) -> Case:
    year, sequence = (int(part) for part in number.split("/"))
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.year == year, Case.sequence == sequence))
    assert case is not None
    return case


def _answer(case_id: int, *, close: bool = False, answer: str = ANSWER) -> None:
    """Take a case through the real workflow to a published answer (and closing)."""
    official = make_user(roles=("leader", "clerk", "handler"))
    case = db.session.get(Case, case_id)
    steps = [
        ("accept", ActionInput(note="Thuộc thẩm quyền")),
        ("assign", ActionInput(assignee_id=official.id)),
        ("draft_answer", ActionInput(answer=answer)),
        ("approve_answer", ActionInput()),
    ]
    if close:
        steps.append(("close", ActionInput()))
    for action, data in steps:
        perform(
            db.session,
            case=case,
            action_name=action,
            actor=official,
            data=data,
            today=today_local(),
            now=datetime.now(UTC),
            rules=current_rules(),
            calendar=load_calendar(db.session),
        )


def _filed(client: Any, fields: dict[str, str] | None = None) -> str:
    response = _post(client, fields or REFLECTION, key=_issue())
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()[0]["service_request_id"]


# Discovery, services and service definitions


def test_discovery_in_json_and_xml(client) -> None:
    data = _json(client.get(f"{BASE}/discovery.json"))
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    assert "stttt@tayninh.gov.vn" in data["contact"]
    assert data["key_service"]
    (endpoint,) = data["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://localhost/open311/v2",
        "changeset": data["changeset"],
        "type": "test",
        "formats": ["text/xml", "application/json"],
    }

    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("changeset") == data["changeset"]
    assert root.findtext("contact") == data["contact"]
    assert root.findtext("key_service") == data["key_service"]
    (element,) = root.findall("endpoints/endpoint")
    assert element.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert element.findtext("url") == "http://localhost/open311/v2"
    assert element.findtext("type") == "test"
    assert [f.text for f in element.findall("formats/format")] == ["text/xml", "application/json"]
    # The root of the endpoint shows the discovery document too.
    assert _xml(client.get(f"{BASE}/")).findtext("changeset") == data["changeset"]


def test_service_list_in_json_and_xml(client) -> None:
    services = _json(client.get(f"{BASE}/services.json"))
    assert [s["service_code"] for s in services] == ["petition", "reflection"]
    keys = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
    for service in services:
        assert list(service) == keys
        assert service["metadata"] is True and service["type"] == "realtime"
        assert service["description"] and service["keywords"] and service["group"]
    # Vietnamese by default: the names are the kinds' Vietnamese names.
    assert [s["service_name"] for s in services] == ["Kiến nghị", "Phản ánh"]

    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    elements = root.findall("service")
    assert len(elements) == 2
    for element, service in zip(elements, services, strict=True):
        assert [child.tag for child in element] == keys
        assert element.findtext("service_code") == service["service_code"]
        assert element.findtext("service_name") == service["service_name"]
        assert element.findtext("description") == service["description"]
        assert element.findtext("metadata") == "true"
        assert element.findtext("type") == "realtime"
        assert element.findtext("keywords") == service["keywords"]
        assert element.findtext("group") == service["group"]


@pytest.mark.parametrize("code", ["petition", "reflection"])
def test_service_definition_in_json_and_xml(client, code: str) -> None:
    data = _json(client.get(f"{BASE}/services/{code}.json"))
    assert data["service_code"] == code
    attributes = {a["code"]: a for a in data["attributes"]}
    assert list(attributes) == ["subject", "field", "requested_outcome", "consent"]
    assert [a["order"] for a in data["attributes"]] == [1, 2, 3, 4]
    for attribute in data["attributes"]:
        assert attribute["variable"] is True
        assert attribute["datatype"] in ("string", "text", "singlevaluelist")
        assert attribute["description"]
    consent = attributes["consent"]
    assert consent["required"] is True and consent["datatype"] == "singlevaluelist"
    assert consent["values"][0]["key"] == "true"
    assert "/quyen-rieng-tu" in consent["description"]
    assert not any(attributes[c]["required"] for c in ("subject", "field", "requested_outcome"))
    assert {"key": "telecom", "name": "Viễn thông và Internet"} in attributes["field"]["values"]

    root = _xml(client.get(f"{BASE}/services/{code}.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == code
    elements = root.findall("attributes/attribute")
    assert len(elements) == len(data["attributes"])
    for element, attribute in zip(elements, data["attributes"], strict=True):
        assert element.findtext("variable") == "true"
        assert element.findtext("code") == attribute["code"]
        assert element.findtext("datatype") == attribute["datatype"]
        assert element.findtext("required") == str(attribute["required"]).lower()
        assert (element.findtext("datatype_description") or None) == attribute[
            "datatype_description"
        ]
        assert element.findtext("order") == str(attribute["order"])
        assert element.findtext("description") == attribute["description"]
        values = [(v.findtext("key"), v.findtext("name")) for v in element.findall("values/value")]
        assert values == [(v["key"], v["name"]) for v in attribute.get("values", [])]


def test_unknown_service_code_is_not_found_in_both_formats(client, english) -> None:
    response = client.get(f"{BASE}/services/complaint.json")
    assert response.status_code == 404
    assert _json(response) == [
        {"code": 404, "description": "service_code complaint was not found."}
    ]
    response = client.get(f"{BASE}/services/complaint.xml")
    assert response.status_code == 404
    root = _xml(response)
    assert root.tag == "errors"
    (error,) = root.findall("error")
    assert error.findtext("code") == "404"
    assert error.findtext("description") == "service_code complaint was not found."


def test_errors_for_unknown_resources_methods_and_formats(client) -> None:
    assert _xml(client.get(f"{BASE}/khong-co.xml")).findtext("error/code") == "404"
    response = client.get(f"{BASE}/services.html")
    assert response.status_code == 404
    assert _xml(response).findtext("error/code") == "404"  # XML is the required format
    response = client.delete(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert _json(response)[0]["code"] == 405
    response = client.put(f"{BASE}/requests.xml")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"


def test_jurisdiction_id_is_optional_and_checked_when_configured(client, config_override) -> None:
    assert client.get(f"{BASE}/services.json?jurisdiction_id=tayninh.gov.vn").status_code == 200
    config_override(OPEN311_JURISDICTION_ID="tayninh.gov.vn")
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/services.json?jurisdiction_id=tayninh.gov.vn").status_code == 200
    response = client.get(f"{BASE}/requests.xml?jurisdiction_id=sfgov.org")
    assert response.status_code == 404
    assert "sfgov.org" in _xml(response).findtext("error/description")


# POST requests


def test_post_reflection_creates_a_case_and_answers_in_json(client) -> None:
    response = _post(client, REFLECTION, key=_issue())
    assert response.status_code == 201
    (item,) = _json(response)
    assert list(item) == ["service_request_id", "service_notice"]
    case = _case(item["service_request_id"])
    assert item["service_request_id"] == case.number
    assert case.number in item["service_notice"]
    assert case.next_due_on.strftime("%d/%m/%Y") in item["service_notice"]
    assert (case.kind, case.channel, case.status) == ("reflection", "api", "received")
    assert case.source_body == "Open311: Trung tâm điều hành thông minh"
    assert case.content == REFLECTION["description"]
    assert case.subject == "Cột điện viễn thông đổ chắn ngang đường sau cơn bão."
    assert case.location == "Đường 30/4, phường Tân Ninh, tỉnh Tây Ninh (geo:11.310000,106.098000)"
    assert case.field == "telecom"
    assert case.submitter_name == "Nguyễn Văn Bình"  # family name first
    assert case.submitter_phone == "+84912345678"
    assert case.submitter_email is None
    assert case.consent_version == current_app.config["PRIVACY_NOTICE_VERSION"]
    assert case.consent_at is not None
    assert not case.confidential
    assert [d.rule_id for d in case.deadlines] == ["letter.process"]


def test_post_petition_answers_in_xml_and_emails_the_access_code(
    client, english, smtp_server
) -> None:
    response = _post(client, PETITION, key=_issue(), fmt="xml")
    assert response.status_code == 201
    root = _xml(response)
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert [child.tag for child in request] == ["service_request_id", "service_notice"]
    number = request.findtext("service_request_id")
    case = _case(number)
    assert case.kind == "petition"
    assert case.subject == "Nộp hồ sơ xuất bản trực tuyến"
    assert case.requested_outcome == "Mở dịch vụ công trực tuyến toàn trình."
    assert case.location is None and case.field == "other"
    assert case.submitter_name == "Trần Thị Lan"
    assert case.submitter_email == "lan@example.com"
    assert "email" in request.findtext("service_notice")
    assert smtp_server.messages == []  # queued with the case, not sent by the request
    current_app.test_cli_runner().invoke(args=["deliver-outbox"])
    (message,) = smtp_server.messages
    assert message["To"] == "lan@example.com"
    assert number in message["Subject"]
    body = message.get_payload(decode=True).decode()
    code = access_code_for(current_app.config["ACCESS_CODE_PEPPER"].encode(), case.idempotency_key)
    assert number in body and code in body
    # The code in the e-mail finds the case, as on the public lookup page.
    found = find_by_code(db.session, code, current_app.config["ACCESS_CODE_PEPPER"].encode())
    assert found is not None and found.id == case.id


def test_a_retried_post_gives_the_same_case(client) -> None:
    key = _issue()
    first = _post(client, REFLECTION, key=key)
    again = _post(client, REFLECTION, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1
    # A different request, or the same one from another system, is a new case.
    other = _post(client, {**REFLECTION, "description": "Cột điện thứ hai cũng đổ."}, key=key)
    assert other.status_code == 201
    assert _post(client, REFLECTION, key=_issue(name="Ứng dụng khác")).status_code == 201
    assert db.session.scalar(select(func.count()).select_from(Case)) == 3


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_needs_a_valid_api_key(client, english, fmt: str) -> None:
    for key in (None, "", "dvcq_not-a-real-key", "abc"):
        response = _post(client, REFLECTION, key=key, fmt=fmt)
        assert response.status_code == 403
        errors = (
            _json(response)
            if fmt == "json"
            else [
                {"code": int(e.findtext("code")), "description": e.findtext("description")}
                for e in _xml(response).findall("error")
            ]
        )
        assert errors == [{"code": 403, "description": "Missing or invalid api_key."}]
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_api_key_in_the_query_string_is_refused_and_bearer_header_accepted(client) -> None:
    key = _issue()
    response = client.post(f"{BASE}/requests.json?api_key={key}", data=REFLECTION)
    assert response.status_code == 403
    response = client.post(
        f"{BASE}/requests.json", data=REFLECTION, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 201


def test_revoked_and_read_only_keys_may_not_post(client, english) -> None:
    key = _issue()
    token = db.session.scalar(select(api_tokens.ApiToken))
    api_tokens.revoke(db.session, token, actor_id=None, now=datetime.now(UTC))
    db.session.commit()
    assert _post(client, REFLECTION, key=key).status_code == 403

    read_key = _issue(scope="read_cases", name="Thanh tra tỉnh")
    response = _post(client, REFLECTION, key=read_key, fmt="xml")
    assert response.status_code == 403
    assert _xml(response).findtext("error/description") == "This api_key may not file requests."
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    # The refused call was made with a real key: it is in the audit log.
    calls = db.session.scalars(select(AuditLog).where(AuditLog.action == "api.call")).all()
    assert [(c.detail["token_name"], c.detail["status"]) for c in calls] == [
        ("Thanh tra tỉnh", 403)
    ]


def test_every_call_with_a_key_is_audit_logged(client) -> None:
    key = _issue()
    number = _post(client, REFLECTION, key=key).get_json()[0]["service_request_id"]
    _post(client, REFLECTION, key=key)  # the retry
    _post(client, {**REFLECTION, "attribute[consent]": ""}, key=key)
    db.session.expire_all()
    calls = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "api.call").order_by(AuditLog.id)
    ).all()
    case_id = str(_case(number).id)
    assert [(c.detail["status"], c.target_id) for c in calls] == [
        (201, case_id),
        (200, case_id),
        (400, None),
    ]
    assert all(c.detail["method"] == "POST" for c in calls)
    assert all(c.detail["path"] == f"{BASE}/requests.json" for c in calls)


@pytest.mark.parametrize(
    ("change", "argument"),
    [
        ({"attribute[consent]": ""}, "attribute[consent]"),
        ({"attribute[consent]": "false"}, "attribute[consent]"),
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"first_name": "", "last_name": ""}, "first_name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"first_name": "B" * 100}, "first_name"),
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"lat": "", "long": "", "address_string": ""}, "address_string"),
        ({"long": ""}, "lat"),
        ({"lat": "91"}, "lat"),
        ({"long": "east"}, "long"),
        ({"lat": "", "long": "", "address_string": "", "address_id": "545483"}, "address_id"),
        ({"attribute[field]": "weather"}, "attribute[field]"),
        ({"media_url": "javascript://alert(1)"}, "media_url"),
    ],
)
def test_post_with_a_wrong_argument_is_refused_with_its_name(client, change, argument) -> None:
    response = _post(client, {**REFLECTION, **change}, key=_issue())
    assert response.status_code == 400
    errors = _json(response)
    assert all(error["code"] == 400 for error in errors)
    assert any(error["description"].startswith(f"{argument}: ") for error in errors), errors
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_post_lists_every_problem_at_once_in_xml(client) -> None:
    fields = {**REFLECTION, "attribute[consent]": "", "description": "", "phone": ""}
    response = _post(client, fields, key=_issue(), fmt="xml")
    assert response.status_code == 400
    names = {e.findtext("description").split(":")[0] for e in _xml(response).findall("error")}
    assert names == {"attribute[consent]", "description", "phone"}


def test_post_service_code_missing_or_unknown(client, english) -> None:
    key = _issue()
    response = _post(client, {**REFLECTION, "service_code": ""}, key=key)
    assert response.status_code == 400
    assert _json(response)[0]["description"] == "service_code was not provided."
    for code in ("complaint", "denunciation", "001"):
        assert _post(client, {**REFLECTION, "service_code": code}, key=key).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_petition_needs_no_location_and_media_url_is_kept_for_officials(client) -> None:
    number = _filed(client, {**PETITION, "media_url": "https://example.com/anh.jpg"})
    case = _case(number)
    assert "https://example.com/anh.jpg" in case.evidence


def test_post_is_rate_limited_per_api_key(client, config_override) -> None:
    config_override(OPEN311_WRITE_RATE_LIMIT="2/minute")
    key = _issue()
    for number in range(2):
        fields = {**REFLECTION, "description": f"Phản ánh số {number}"}
        assert _post(client, fields, key=key).status_code == 201
    response = _post(client, {**REFLECTION, "description": "Phản ánh số 3"}, key=key, fmt="xml")
    assert response.status_code == 429
    assert _xml(response).findtext("error/code") == "429"
    assert "Retry-After" in response.headers
    # Another system has its own allowance.
    assert _post(client, REFLECTION, key=_issue(name="Hệ thống khác")).status_code == 201


# GET requests and requests/{id}


def _public_request_json(item: dict[str, Any], case: Case) -> None:
    assert list(item) == list(REQUEST_FIELDS)
    assert item["service_request_id"] == case.number
    assert item["status_notes"] == ANSWER
    assert item["service_code"] == case.kind
    assert item["service_name"] == {"petition": "Kiến nghị", "reflection": "Phản ánh"}[case.kind]
    assert item["description"] == case.subject
    assert item["agency_responsible"] == current_app.config["AGENCY_NAME"]
    requested = datetime.fromisoformat(item["requested_datetime"])
    assert item["requested_datetime"].endswith("+07:00")
    assert requested == case.submitted_at.replace(microsecond=0)
    assert datetime.fromisoformat(item["updated_datetime"]) == case.updated_at.replace(
        microsecond=0
    )
    assert item["updated_datetime"].endswith("+07:00")


def test_get_requests_lists_only_answered_public_cases_in_json(client, custodian) -> None:
    answered = _case(_filed(client))
    _answer(answered.id, close=True)
    waiting = _case(_filed(client, {**REFLECTION, "description": "Chưa trả lời"}))
    secret = make_case(kind="petition", subject="Kiến nghị kín", confidential=True)
    _answer(secret.id)
    complaint = make_case(kind="complaint")
    complaint_id = complaint.id
    db.session.get(Case, complaint_id).public_answer = ANSWER
    db.session.get(Case, complaint_id).status = "resolved"
    db.session.commit()

    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 200
    items = _json(response)
    assert [item["service_request_id"] for item in items] == [answered.number]
    case = _case(answered.number)
    _public_request_json(items[0], case)
    assert items[0]["status"] == "closed"
    assert items[0]["address"] == "Đường 30/4, phường Tân Ninh, tỉnh Tây Ninh"
    assert (items[0]["lat"], items[0]["long"]) == (11.31, 106.098)
    assert items[0]["expected_datetime"] is None and items[0]["media_url"] is None
    body = response.get_data(as_text=True)
    for personal in ("Bình", "0912", "+8491", "Rất nguy hiểm"):
        assert personal not in body
    for hidden in (waiting.number, "Kiến nghị kín", complaint.number):
        assert hidden not in body


def test_get_requests_in_xml_field_by_field(client) -> None:
    number = _filed(client)
    _answer(_case(number).id)
    json_item = client.get(f"{BASE}/requests.json").get_json()[0]
    root = _xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    (element,) = root.findall("request")
    assert [child.tag for child in element] == list(REQUEST_FIELDS)
    for name in REQUEST_FIELDS:
        value = json_item[name]
        expected = None if value is None else str(value)
        assert (element.findtext(name) or None) == expected, name
    assert element.findtext("status") == "closed"  # answered (resolved) is closed
    assert element.findtext("requested_datetime").endswith("+07:00")


def test_get_one_request_in_json_and_xml(client) -> None:
    number = _filed(client, PETITION)
    case_id = _case(number).id
    path = f"{BASE}/requests/{number}"
    assert client.get(f"{path}.json").status_code == 404  # not answered yet
    response = client.get(f"{path}.xml")
    assert response.status_code == 404
    assert _xml(response).findtext("error/code") == "404"

    _answer(case_id)
    (item,) = _json(client.get(f"{path}.json"))
    _public_request_json(item, _case(number))
    assert item["address"] is None and item["lat"] is None
    (element,) = _xml(client.get(f"{path}.xml")).findall("request")
    assert element.findtext("service_request_id") == number
    assert element.findtext("status_notes") == ANSWER
    # A client that escapes the slash of the number reaches the same request.
    escaped = number.replace("/", "%2F")
    assert client.get(f"{BASE}/requests/{escaped}.json").get_json() == [item]


def test_a_reopened_case_is_no_longer_listed(client) -> None:
    number = _filed(client)
    case_id = _case(number).id
    _answer(case_id)
    assert len(client.get(f"{BASE}/requests.json").get_json()) == 1
    official = make_user(roles=("leader",))
    perform(
        db.session,
        case=db.session.get(Case, case_id),
        action_name="reopen",
        actor=official,
        data=ActionInput(note="Công dân bổ sung thông tin"),
        today=today_local(),
        now=datetime.now(UTC),
        rules=current_rules(),
        calendar=load_calendar(db.session),
    )
    assert client.get(f"{BASE}/requests.json").get_json() == []
    assert client.get(f"{BASE}/requests/{number}.json").status_code == 404


def test_get_requests_filters(client) -> None:
    reflection = _filed(client)
    petition = _filed(client, PETITION)
    old = make_case(
        kind="petition", subject="Kiến nghị cũ", now=datetime.now(UTC) - timedelta(days=200)
    )
    for case_id in (_case(reflection).id, _case(petition).id, old.id):
        _answer(case_id)
    old_number = old.number

    def numbers(query: str) -> list[str]:
        response = client.get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return sorted(item["service_request_id"] for item in response.get_json())

    assert numbers("") == sorted([reflection, petition])  # the last 90 days
    assert numbers("service_code=reflection") == [reflection]
    assert numbers("service_code=petition,reflection") == sorted([reflection, petition])
    assert numbers("status=closed") == sorted([reflection, petition])
    assert numbers("status=open") == []
    assert numbers("status=open,closed") == sorted([reflection, petition])
    before = (datetime.now(VIETNAM) - timedelta(days=210)).strftime("%Y-%m-%dT%H:%M:%S%z")
    assert numbers(f"start_date={before.replace('+', '%2B')}") == [old_number]
    # An unencoded "+07:00" arrives as " 07:00": still understood.
    start = (datetime.now(VIETNAM) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+07:00")
    assert numbers(f"start_date={start}") == sorted([reflection, petition])
    end = (datetime.now(UTC) - timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert numbers(f"end_date={end}") == [old_number]
    # service_request_id overrides every other argument, the date window included.
    assert numbers(f"service_request_id={old_number},{reflection}&status=open") == sorted(
        [old_number, reflection]
    )


@pytest.mark.parametrize(
    "query",
    [
        "status=pending",
        "service_code=complaint",
        "start_date=hôm-qua",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        "start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z",
        "service_request_id=123",
        "service_request_id=2026/1/2",
    ],
)
def test_get_requests_refuses_a_bad_query(client, query: str) -> None:
    response = client.get(f"{BASE}/requests.xml?{query}")
    assert response.status_code in (400, 404)
    assert _xml(response).findtext("error/description")
    if "service_code" not in query:
        assert response.status_code == 400


def test_get_requests_returns_the_newest_up_to_the_cap(client, monkeypatch) -> None:
    from portal.domain import open311 as georeport

    assert georeport.MAX_RESULTS == 1000  # the specification's default query limit
    numbers = [_filed(client, {**REFLECTION, "description": f"Phản ánh {n}"}) for n in range(3)]
    for number in numbers:
        _answer(_case(number).id)
    monkeypatch.setattr(georeport, "MAX_RESULTS", 2)
    items = client.get(f"{BASE}/requests.json").get_json()
    assert [item["service_request_id"] for item in items] == numbers[:0:-1]


def test_reads_are_rate_limited(client, english, config_override) -> None:
    config_override(OPEN311_READ_RATE_LIMIT="2/minute")
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/requests.json").status_code == 200
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 429
    assert _json(response) == [
        {"code": 429, "description": "Too many requests. Please wait, then try again."}
    ]


def test_a_failure_of_ours_is_a_general_service_error(client, english, monkeypatch) -> None:
    from portal.services import submissions

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(submissions, "submit_once", broken)
    response = _post(client, REFLECTION, key=_issue(), fmt="xml")
    assert response.status_code == 400  # the specification's "general service error"
    assert _xml(response).findtext("error/code") == "500"
    assert "database" not in response.get_data(as_text=True)
    call = db.session.scalar(select(AuditLog).where(AuditLog.action == "api.call"))
    assert call.detail["status"] == 400


def test_a_too_large_request_is_refused_in_the_georeport_format(client, config_override) -> None:
    config_override(MAX_CONTENT_LENGTH=2000)
    response = _post(client, {**REFLECTION, "description": "x" * 3000}, key=_issue())
    assert response.status_code == 413
    assert _json(response)[0]["code"] == 413
