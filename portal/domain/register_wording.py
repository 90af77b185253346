"""Wording of the citizen-reception register (Sổ tiếp công dân, Mẫu số 03, Circular
04/2021/TT-TTCP). The register is an official Vietnamese record: its text is Vietnamese
whatever the interface language."""

KIND_WORDS = {
    "complaint": "Khiếu nại",
    "denunciation": "Tố cáo",
    "petition": "Kiến nghị",
    "reflection": "Phản ánh",
}

STATUS_WORDS = {
    "received": "Đang xử lý đơn",
    "accepted": "Đã thụ lý",
    "in_progress": "Đang giải quyết",
    "suspended": "Tạm đình chỉ",
    "resolved": "Đã giải quyết",
    "closed": "Đã kết thúc",
    "guided": "Đã hướng dẫn",
    "forwarded": "Đã chuyển đơn",
    "not_accepted": "Không thụ lý",
    "filed": "Lưu đơn",
    "withdrawn": "Đã rút đơn",
}
