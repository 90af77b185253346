"""Article slugs (portal.domain.slugs)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.slugs import FALLBACK, slugify, unique_slug

SLUG_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Dân vận khéo: Đồng Khởi 2026!", "dan-van-kheo-dong-khoi-2026"),
        ("ĐẢNG BỘ TỈNH BẾN TRE", "dang-bo-tinh-ben-tre"),
        (
            "Hội nghị tổng kết công tác dân vận năm 2025",
            "hoi-nghi-tong-ket-cong-tac-dan-van-nam-2025",
        ),
        (
            "Tuổi trẻ “xung kích” – tình nguyện vì cộng đồng",
            "tuoi-tre-xung-kich-tinh-nguyen-vi-cong-dong",
        ),
        ("Nghị quyết 15-NQ/TW: hướng dẫn thực hiện", "nghi-quyet-15-nq-tw-huong-dan-thuc-hien"),
        ("  --Ưu tiên   người   yếu thế--  ", "uu-tien-nguoi-yeu-the"),
        ("Quy chế dân chủ ở cơ sở (sửa đổi)", "quy-che-dan-chu-o-co-so-sua-doi"),
        ("Tiếp công dân ngày 15/01/2027", "tiep-cong-dan-ngay-15-01-2027"),
        ("Ý kiến, kiến nghị của cử tri & Nhân dân", "y-kien-kien-nghi-cua-cu-tri-nhan-dan"),
        ("Mặt trận Tổ quốc Việt Nam", "mat-tran-to-quoc-viet-nam"),
        ("Nguye\u0302\u0303n Thi\u0323 Đi\u0323nh", "nguyen-thi-dinh"),  # typed in NFD
        ("Ｄân vận ２０２６", "dan-van-2026"),  # full-width forms
        ("Ghi nhận ở Huế 🎉", "ghi-nhan-o-hue"),
        ("Straße Ærø Łódź", "strasse-aero-lodz"),
        ("", FALLBACK),
        ("!!! ??? …", FALLBACK),
        ("中文标题", FALLBACK),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("title", "max_length", "slug"),
    [
        ("dan van kheo dong khoi", 12, "dan-van-kheo"),  # the cut falls on a hyphen
        ("dan van kheo dong khoi", 13, "dan-van-kheo"),
        ("dan van kheo dong khoi", 15, "dan-van-kheo"),
        ("dan van kheo dong khoi", 16, "dan-van-kheo"),
        ("dan van kheo dong khoi", 17, "dan-van-kheo-dong"),
        ("dan van kheo dong khoi", 22, "dan-van-kheo-dong-khoi"),
        ("a" * 30, 10, "a" * 10),  # one word longer than the limit is cut inside
        ("ab " + "c" * 30, 10, "ab"),
    ],
)
def test_long_titles_are_cut_at_a_word_boundary(title: str, max_length: int, slug: str) -> None:
    assert slugify(title, max_length) == slug


def test_default_length_is_80() -> None:
    title = "Đồng chí Bí thư Tỉnh ủy làm việc với Ban Dân vận về công tác dân vận " * 3
    slug = slugify(title)
    assert len(slug) <= 80
    assert title.startswith("Đồng chí")
    assert slug.startswith("dong-chi-bi-thu-tinh-uy")
    assert not slug.endswith("-")
    assert slugify(title, 200).startswith(slug)


def test_max_length_must_fit_the_fallback() -> None:
    with pytest.raises(ValueError, match="max_length"):
        slugify("abc", 3)


@settings(max_examples=300)
@given(st.text(), st.integers(min_value=8, max_value=120))
def test_slug_shape(title: str, max_length: int) -> None:
    slug = slugify(title, max_length)
    assert SLUG_RE.fullmatch(slug)
    assert len(slug) <= max_length
    assert slugify(slug, max_length) == slug
    assert slugify(unicodedata.normalize("NFD", title), max_length) == slug


def test_unique_slug_returns_the_base_when_free() -> None:
    asked: list[str] = []

    def taken(candidate: str) -> bool:
        asked.append(candidate)
        return False

    assert unique_slug("dan-van-kheo", taken) == "dan-van-kheo"
    assert asked == ["dan-van-kheo"]


def test_unique_slug_counts_from_two() -> None:
    existing = {"dan-van-kheo", "dan-van-kheo-2", "dan-van-kheo-3"}
    asked: list[str] = []

    def taken(candidate: str) -> bool:
        asked.append(candidate)
        return candidate in existing

    assert unique_slug("dan-van-kheo", taken) == "dan-van-kheo-4"
    assert asked == ["dan-van-kheo", "dan-van-kheo-2", "dan-van-kheo-3", "dan-van-kheo-4"]


def test_unique_slug_on_a_base_ending_in_a_number() -> None:
    existing = {"ke-hoach-2"}
    assert unique_slug("ke-hoach-2", existing.__contains__) == "ke-hoach-2-2"
    assert unique_slug("ke-hoach-3", existing.__contains__) == "ke-hoach-3"
