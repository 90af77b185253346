"""The 34 provincial-level units in force since 1 July 2025 (Resolution 202/2025/QH15).

Data, not logic: when the map changes again, edit this list.
"""

CITIES = (
    "Thành phố Hà Nội",
    "Thành phố Huế",
    "Thành phố Hải Phòng",
    "Thành phố Đà Nẵng",
    "Thành phố Hồ Chí Minh",
    "Thành phố Cần Thơ",
)

PROVINCES = (
    "Tỉnh An Giang",
    "Tỉnh Bắc Ninh",
    "Tỉnh Cà Mau",
    "Tỉnh Cao Bằng",
    "Tỉnh Điện Biên",
    "Tỉnh Đắk Lắk",
    "Tỉnh Đồng Nai",
    "Tỉnh Đồng Tháp",
    "Tỉnh Gia Lai",
    "Tỉnh Hà Tĩnh",
    "Tỉnh Hưng Yên",
    "Tỉnh Khánh Hòa",
    "Tỉnh Lai Châu",
    "Tỉnh Lạng Sơn",
    "Tỉnh Lào Cai",
    "Tỉnh Lâm Đồng",
    "Tỉnh Nghệ An",
    "Tỉnh Ninh Bình",
    "Tỉnh Phú Thọ",
    "Tỉnh Quảng Ngãi",
    "Tỉnh Quảng Ninh",
    "Tỉnh Quảng Trị",
    "Tỉnh Sơn La",
    "Tỉnh Tây Ninh",
    "Tỉnh Thái Nguyên",
    "Tỉnh Thanh Hóa",
    "Tỉnh Tuyên Quang",
    "Tỉnh Vĩnh Long",
)

ALL = (*PROVINCES, *CITIES)
HOME_PROVINCE = "Tỉnh Tây Ninh"
