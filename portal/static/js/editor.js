/*
 * Rich-text editor for news articles (progressive enhancement).
 *
 * Turns every <textarea data-rich-text> into a Quill 2 editor (vendored in
 * /static/vendor/quill-2.0.3/). The textarea stays in the form, hidden, and always
 * holds the editor's HTML: it is refreshed on every change and again on submit,
 * so the server receives the article in the textarea's own field. Without
 * JavaScript (or if Quill fails to load) the textarea is left as a plain HTML field.
 *
 * Works under the portal's strict Content-Security-Policy (no 'unsafe-inline'):
 *  - no inline script or <style>, no style="" attributes are ever created;
 *  - pasted HTML (Word, Google Docs, web pages) is cleaned as a *string* before any
 *    DOM parser sees it: <style> blocks are dropped and style="" attributes are renamed
 *    to data-paste-style, because even DOMParser/<template> parsing of a style attribute
 *    is reported by Chromium as a style-src-attr violation. The few things we need from
 *    those styles (Word list levels, bold/italic set by CSS) are read from the renamed
 *    attribute and turned into real markup.
 *
 * Textarea attributes understood:
 *   data-rich-text                 required; turns the editor on
 *   data-image-upload-url="/..."   optional; the image button then uploads a file there
 *                                  (multipart field "image" + csrf_token; header X-CSRFToken)
 *                                  and expects JSON {"url": "/tin-tuc/anh/..."}.
 *                                  Without it the image button asks for an image address.
 *   data-image-upload-field="..."  optional; multipart field name (default "image")
 *   placeholder="..."              shown in the empty editor
 *
 * Toolbar icons for undo/redo and the table tools are Quill's own SVGs (Quill's
 * assets/icons, BSD-3-Clause, see /static/vendor/quill-2.0.3/LICENSE).
 */
(function () {
  "use strict";

  var Quill = window.Quill;
  if (!Quill || !document.querySelector || !window.DOMParser) {
    return; // no editor: the plain textarea stays as it is
  }

  // ---------------------------------------------------------------- labels
  var LABELS = {
    vi: {
      toolbar: "Định dạng văn bản",
      h2: "Tiêu đề mục (H2)",
      h3: "Tiêu đề mục nhỏ (H3)",
      bold: "Chữ đậm (Ctrl+B)",
      italic: "Chữ nghiêng (Ctrl+I)",
      bullet: "Danh sách dấu đầu dòng",
      ordered: "Danh sách đánh số",
      link: "Chèn hoặc sửa liên kết",
      image: "Chèn ảnh",
      table: "Chèn bảng (3 hàng × 3 cột)",
      rowBelow: "Thêm hàng bên dưới",
      columnRight: "Thêm cột bên phải",
      deleteRow: "Xoá hàng",
      deleteColumn: "Xoá cột",
      deleteTable: "Xoá bảng",
      clean: "Xoá định dạng",
      undo: "Hoàn tác (Ctrl+Z)",
      redo: "Làm lại (Ctrl+Y)",
      linkInput: "Địa chỉ liên kết",
      linkPlaceholder: "https://… hoặc /duong-dan/",
      imageAddress: "Địa chỉ ảnh đã tải lên trang này (ví dụ /tin-tuc/anh/ten-anh.jpg):",
      imageAlt: "Mô tả ngắn nội dung ảnh, cho người không xem được ảnh:",
      imageNotLocal: "Chỉ chèn được ảnh nằm trên trang này. Hãy tải ảnh lên trước rồi dán địa chỉ của ảnh.",
      imageUploadFailed: "Không tải được ảnh lên. Vui lòng thử lại.",
      imageUploading: "Đang tải ảnh lên…",
      imageInserted: "Đã chèn ảnh.",
      imagesDropped: "Ảnh trong nội dung dán vào không được giữ lại; hãy chèn ảnh bằng nút Chèn ảnh."
    },
    en: {
      toolbar: "Text formatting",
      h2: "Section heading (H2)",
      h3: "Subheading (H3)",
      bold: "Bold (Ctrl+B)",
      italic: "Italic (Ctrl+I)",
      bullet: "Bulleted list",
      ordered: "Numbered list",
      link: "Insert or edit link",
      image: "Insert image",
      table: "Insert table (3 rows × 3 columns)",
      rowBelow: "Add row below",
      columnRight: "Add column to the right",
      deleteRow: "Delete row",
      deleteColumn: "Delete column",
      deleteTable: "Delete table",
      clean: "Clear formatting",
      undo: "Undo (Ctrl+Z)",
      redo: "Redo (Ctrl+Y)",
      linkInput: "Link address",
      linkPlaceholder: "https://… or /path/",
      imageAddress: "Address of an image uploaded to this site (e.g. /tin-tuc/anh/photo.jpg):",
      imageAlt: "Short description of the image, for people who cannot see it:",
      imageNotLocal: "Only images on this site can be inserted. Upload the image first, then give its address.",
      imageUploadFailed: "The image could not be uploaded. Please try again.",
      imageUploading: "Uploading image…",
      imageInserted: "Image inserted.",
      imagesDropped: "Images in pasted content are not kept; insert them with the Insert image button."
    }
  };
  var LANG = /^vi\b/i.test(document.documentElement.lang || "") ? "vi" : "en";
  var T = LABELS[LANG];

  // Extra icons (Quill's own assets/icons/*.svg, not in its default icon set).
  var icons = Quill.import("ui/icons");
  icons.undo = '<svg viewBox="0 0 18 18"><polygon class="ql-fill ql-stroke" points="6 10 4 12 2 10 6 10"></polygon><path class="ql-stroke" d="M8.09,13.91A4.6,4.6,0,0,0,9,14,5,5,0,1,0,4,9"></path></svg>';
  icons.redo = '<svg viewBox="0 0 18 18"><polygon class="ql-fill ql-stroke" points="12 10 14 12 16 10 12 10"></polygon><path class="ql-stroke" d="M9.91,13.91A4.6,4.6,0,0,1,9,14a5,5,0,1,1,5-5"></path></svg>';
  icons["table-row-below"] = '<svg viewBox="0 0 18 18"><g class="ql-fill ql-stroke ql-thin ql-transparent"><rect height="3" rx="0.5" ry="0.5" width="7" x="4.5" y="2.5"></rect><rect height="3" rx="0.5" ry="0.5" width="7" x="4.5" y="12.5"></rect></g><rect class="ql-fill ql-stroke ql-thin" height="3" rx="0.5" ry="0.5" width="7" x="8.5" y="7.5"></rect><polygon class="ql-fill ql-stroke ql-thin" points="4.5 11 2.5 9 4.5 7 4.5 11"></polygon><line class="ql-stroke" x1="6" x2="4" y1="9" y2="9"></line></svg>';
  icons["table-column-right"] = '<svg viewBox="0 0 18 18"><g class="ql-fill ql-transparent"><rect height="10" rx="1" ry="1" width="4" x="12" y="2"></rect><rect height="10" rx="1" ry="1" width="4" x="2" y="2"></rect></g><path class="ql-fill" d="M11.354,4.146l-2-2a0.5,0.5,0,0,0-.707,0l-2,2A0.5,0.5,0,0,0,7,5H8V6a1,1,0,0,0,2,0V5h1A0.5,0.5,0,0,0,11.354,4.146Z"></path><rect class="ql-fill" height="8" rx="1" ry="1" width="4" x="7" y="8"></rect></svg>';
  icons["table-delete-row"] = '<svg viewBox="0 0 18 18"><g class="ql-fill ql-stroke ql-thin ql-transparent"><rect height="3" rx="0.5" ry="0.5" width="7" x="4.5" y="2.5"></rect><rect height="3" rx="0.5" ry="0.5" width="7" x="4.5" y="12.5"></rect></g><rect class="ql-fill ql-stroke ql-thin" height="3" rx="0.5" ry="0.5" width="7" x="8.5" y="7.5"></rect><line class="ql-stroke ql-thin" x1="6.5" x2="3.5" y1="7.5" y2="10.5"></line><line class="ql-stroke ql-thin" x1="3.5" x2="6.5" y1="7.5" y2="10.5"></line></svg>';
  icons["table-delete-column"] = '<svg viewBox="0 0 18 18"><g class="ql-fill ql-transparent"><rect height="10" rx="1" ry="1" width="4" x="2" y="6"></rect><rect height="10" rx="1" ry="1" width="4" x="12" y="6"></rect></g><rect class="ql-fill" height="8" rx="1" ry="1" width="4" x="7" y="2"></rect><path class="ql-fill" d="M9.707,13l1.146-1.146a0.5,0.5,0,0,0-.707-0.707L9,12.293,7.854,11.146a0.5,0.5,0,0,0-.707.707L8.293,13,7.146,14.146a0.5,0.5,0,1,0,.707.707L9,13.707l1.146,1.146a0.5,0.5,0,0,0,.707-0.707Z"></path></svg>';
  icons["table-delete"] = '<svg viewBox="0 0 18 18"><path class="ql-fill" d="M15.707,7l1.146-1.146a0.5,0.5,0,1,0-.707-0.707L15,6.293,13.854,5.146a0.5,0.5,0,0,0-.707.707L14.293,7,13.146,8.146a0.5,0.5,0,1,0,.707.707L15,7.707l1.146,1.146a0.5,0.5,0,1,0,.707-0.707Z"></path><path class="ql-fill" d="M6,5H3A1,1,0,0,0,2,6V8A1,1,0,0,0,3,9H6V5Z"></path><path class="ql-fill" d="M10,5H7V9h3a1,1,0,0,0,1-1V6A1,1,0,0,0,10,5Z"></path><g class="ql-fill ql-transparent"><path d="M8,11h4V9a1,1,0,0,0-1-1H8v3Z"></path><path d="M7,11V8H4A1,1,0,0,0,3,9v2H7Z"></path><path d="M7,12H3v2a1,1,0,0,0,1,1H7V12Z"></path><path d="M8,12v3h3a1,1,0,0,0,1-1V12H8Z"></path><path d="M8,6h3a1,1,0,0,0,1-1V3a1,1,0,0,0-1-1H8V6Z"></path><path d="M4,6H7V2H4A1,1,0,0,0,3,3V5A1,1,0,0,0,4,6Z"></path></g></svg>';

  // ------------------------------------------------------ paste cleaning
  // Step 1 works on the HTML *string*: nothing here creates DOM, so nothing can
  // trip the CSP. Step 2 parses the result (now free of style="" and <style>).

  var STYLE_ATTR = "data-paste-style";

  // A small HTML tokenizer (after the WHATWG tokenizer's rules for tags, comments and
  // raw-text elements): it copies the markup unchanged except that style="" becomes
  // data-paste-style="" and <style> elements are dropped (their Word @list rules are kept).
  var RAW_TEXT = { script: 1, style: 1, xmp: 1, iframe: 1, noembed: 1, noframes: 1, textarea: 1, title: 1 };

  function isSpace(c) { return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f"; }

  // Reads the tag starting at html[start] ("<name" or "</name"); returns its end and,
  // for start tags, the rewritten text. Returns end = -1 if the input ends inside the tag.
  function readTag(html, start) {
    var n = html.length;
    var i = html.charAt(start + 1) === "/" ? start + 2 : start + 1;
    var nameStart = i;
    while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) !== "/" && html.charAt(i) !== ">") i++;
    var tagName = html.slice(nameStart, i).toLowerCase();
    var out = html.slice(start, i);
    while (i < n) {
      var c = html.charAt(i);
      if (c === ">") return { end: i + 1, text: out + ">", name: tagName };
      if (isSpace(c) || c === "/") { out += c; i++; continue; }
      // attribute name: first character may be anything but space, "/" and ">" (even "=")
      var attrStart = i;
      i++;
      while (i < n && !isSpace(html.charAt(i)) && "/>=".indexOf(html.charAt(i)) < 0) i++;
      var name = html.slice(attrStart, i);
      var afterName = i;
      while (i < n && isSpace(html.charAt(i))) i++;
      if (html.charAt(i) === "=") {
        i++;
        while (i < n && isSpace(html.charAt(i))) i++;
        var q = html.charAt(i);
        if (q === '"' || q === "'") {
          var close = html.indexOf(q, i + 1);
          if (close < 0) return { end: -1 };
          i = close + 1;
        } else {
          while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) !== ">") i++;
        }
      } else {
        i = afterName;
      }
      out += (name.toLowerCase() === "style" ? STYLE_ATTR : name) + html.slice(afterName, i);
    }
    return { end: -1 };
  }

  function defuseHTML(html) {
    var listFormats = {};
    var out = [];
    var n = html.length;
    var i = 0;
    while (i < n) {
      var lt = html.indexOf("<", i);
      if (lt < 0) { out.push(html.slice(i)); break; }
      out.push(html.slice(i, lt));
      var next = html.charAt(lt + 1);
      var end;
      if (html.substr(lt, 4) === "<!--") {
        if (html.substr(lt, 5) === "<!-->") end = lt + 5;
        else if (html.substr(lt, 6) === "<!--->") end = lt + 6;
        else {
          var m = /--!?>/g;
          m.lastIndex = lt + 4;
          var found = m.exec(html);
          end = found ? found.index + found[0].length : n;
        }
        out.push(html.slice(lt, end));
        i = end;
      } else if (next === "!" || next === "?" || (next === "/" && html.charAt(lt + 2) === ">")) {
        // doctype, <![if ...]>, <?xml ...?>: bogus comments that end at the first ">"
        end = html.indexOf(">", lt);
        end = end < 0 ? n : end + 1;
        out.push(html.slice(lt, end));
        i = end;
      } else if (/[a-zA-Z]/.test(next) || (next === "/" && /[a-zA-Z]/.test(html.charAt(lt + 2)))) {
        var tag = readTag(html, lt);
        if (tag.end < 0) break; // the input ends inside a tag: the parser would drop it too
        i = tag.end;
        if (next === "/") { out.push(html.slice(lt, tag.end)); continue; }
        if (RAW_TEXT[tag.name]) {
          var closeTag = new RegExp("</" + tag.name + "[\\s/>]", "ig");
          closeTag.lastIndex = i;
          var closing = closeTag.exec(html);
          var rawEnd = closing ? closing.index : n;
          var raw = html.slice(i, rawEnd);
          var closeEnd = closing ? readTag(html, closing.index).end : n;
          if (closeEnd < 0) closeEnd = n;
          if (tag.name === "style") {
            // Word keeps list numbering formats here: "@list l0:level1 { mso-level-number-format: bullet }".
            raw.replace(/@list\s+l(\d+):level(\d+)\s*\{([^}]*)\}/gi, function (all, id, level, body) {
              var f = /mso-level-number-format:\s*([\w-]+)/i.exec(body);
              listFormats["l" + id + ":" + level] = f ? f[1].toLowerCase() : "decimal";
              return all;
            });
          } else {
            out.push(tag.text, raw, html.slice(rawEnd, closeEnd));
          }
          i = closeEnd;
        } else if (tag.name === "plaintext") {
          out.push(tag.text, html.slice(i).replace(/</g, "&lt;"));
          break;
        } else {
          out.push(tag.text);
        }
      } else {
        out.push("<");
        i = lt + 1;
      }
    }
    return { html: out.join(""), listFormats: listFormats };
  }

  function parseDeclarations(element) {
    var result = {};
    (element.getAttribute(STYLE_ATTR) || "").split(";").forEach(function (part) {
      var colon = part.indexOf(":");
      if (colon > 0) {
        result[part.slice(0, colon).trim().toLowerCase()] = part.slice(colon + 1).trim().toLowerCase();
      }
    });
    return result;
  }

  function isBold(value) {
    return value === "bold" || value === "bolder" || parseInt(value, 10) >= 600;
  }

  function rename(element, tagName) {
    var doc = element.ownerDocument;
    var replacement = doc.createElement(tagName);
    if (element.hasAttribute(STYLE_ATTR)) replacement.setAttribute(STYLE_ATTR, element.getAttribute(STYLE_ATTR));
    while (element.firstChild) replacement.appendChild(element.firstChild);
    element.parentNode.replaceChild(replacement, element);
    return replacement;
  }

  function unwrap(element) {
    var parent = element.parentNode;
    while (element.firstChild) parent.insertBefore(element.firstChild, element);
    parent.removeChild(element);
  }

  function wrapChildren(element, tagName) {
    var wrapper = element.ownerDocument.createElement(tagName);
    while (element.firstChild) wrapper.appendChild(element.firstChild);
    element.appendChild(wrapper);
  }

  function visibleText(node) {
    return (node.textContent || "").replace(/[\s\u00a0\u200b]+/g, "");
  }

  function sameOriginImage(src) {
    if (!src) return false;
    if (/^\/(?!\/)/.test(src)) return true;
    try {
      return new URL(src, window.location.href).origin === window.location.origin && /^https?:/i.test(src);
    } catch (e) {
      return false;
    }
  }

  // Word list paragraphs -> <ul><li data-list="bullet|ordered" class="ql-indent-N">, the
  // form Quill's own clipboard understands. Marker text ("1.", "·") is removed.
  function convertWordLists(body, listFormats) {
    var items = [];
    Array.prototype.forEach.call(body.querySelectorAll("[" + STYLE_ATTR + "]"), function (el) {
      var style = el.getAttribute(STYLE_ATTR);
      var match = /mso-list:\s*l(\d+)\s+level(\d+)/i.exec(style);
      if (match && !/mso-list:\s*ignore/i.test(style) && !/^(UL|OL|LI)$/.test(el.tagName)) {
        items.push({ el: el, id: match[1], level: parseInt(match[2], 10) || 1 });
      }
    });
    items.forEach(function (item) {
      var marker = "";
      // Marker between <!--[if !supportLists]--> and <!--[endif]--> ...
      var walker = body.ownerDocument.createTreeWalker(item.el, NodeFilter.SHOW_ALL);
      var inMarker = false;
      var toRemove = [];
      var node;
      while ((node = walker.nextNode())) {
        if (node.nodeType === Node.COMMENT_NODE) {
          if (/\[if\s+!supportLists\]/i.test(node.data)) { inMarker = true; toRemove.push(node); continue; }
          if (inMarker && /\[endif\]/i.test(node.data)) { inMarker = false; toRemove.push(node); continue; }
        }
        var inside = toRemove.length && toRemove[toRemove.length - 1].contains(node);
        if (inMarker && !inside) {
          marker += node.textContent || "";
          toRemove.push(node);
        }
      }
      toRemove.forEach(function (n) { if (n.parentNode) n.parentNode.removeChild(n); });
      // ... and spans marked mso-list:Ignore (current Word).
      Array.prototype.forEach.call(item.el.querySelectorAll("[" + STYLE_ATTR + "]"), function (span) {
        if (/mso-list:\s*ignore/i.test(span.getAttribute(STYLE_ATTR))) {
          marker += span.textContent;
          if (span.parentNode) span.parentNode.removeChild(span);
        }
      });
      var format = listFormats["l" + item.id + ":" + item.level];
      if (!format) {
        format = /^\s*(\d+|[a-z]{1,4})[.)]/i.test(marker.replace(/\u00a0/g, " ")) ? "decimal" : "bullet";
      }
      item.type = format === "bullet" || format === "image" ? "bullet" : "ordered";
    });
    // Group neighbouring paragraphs of the same Word list.
    var i = 0;
    while (i < items.length) {
      var group = [items[i]];
      while (i + 1 < items.length && items[i + 1].id === items[i].id &&
             items[i].el.nextElementSibling === items[i + 1].el) {
        i++;
        group.push(items[i]);
      }
      i++;
      var doc = body.ownerDocument;
      var list = doc.createElement("ul");
      var first = group[0].el;
      first.parentNode.insertBefore(list, first);
      group.forEach(function (item) {
        var li = doc.createElement("li");
        li.setAttribute("data-list", item.type);
        if (item.level > 1) li.className = "ql-indent-" + Math.min(item.level - 1, 8);
        while (item.el.firstChild) li.appendChild(item.el.firstChild);
        item.el.parentNode.removeChild(item.el);
        list.appendChild(li);
      });
    }
  }

  // Quill's table cells hold one line of text: flatten each cell, th -> td.
  function normalizeTables(body) {
    Array.prototype.forEach.call(body.querySelectorAll("th"), function (th) { rename(th, "td"); });
    Array.prototype.forEach.call(body.querySelectorAll("td"), function (td) {
      var parts = [];
      var inline = td.ownerDocument.createDocumentFragment();
      function flush() {
        if (inline.childNodes.length && visibleText(inline)) parts.push(inline);
        inline = td.ownerDocument.createDocumentFragment();
      }
      (function walk(parent) {
        Array.prototype.slice.call(parent.childNodes).forEach(function (child) {
          if (child.nodeType === Node.ELEMENT_NODE &&
              /^(P|DIV|H[1-6]|LI|UL|OL|TABLE|TBODY|THEAD|TFOOT|TR|TD|BLOCKQUOTE|PRE|SECTION|ARTICLE)$/.test(child.tagName)) {
            flush();
            walk(child);
            flush();
          } else if (child.nodeType === Node.ELEMENT_NODE && child.tagName === "BR") {
            flush();
          } else {
            inline.appendChild(child);
          }
        });
      })(td);
      flush();
      while (td.firstChild) td.removeChild(td.firstChild);
      parts.forEach(function (part, index) {
        if (index) td.appendChild(td.ownerDocument.createTextNode(" "));
        td.appendChild(part);
      });
    });
  }

  function cleanPastedHTML(html, report) {
    if (!html) return html;
    var defused = defuseHTML(String(html));
    var doc = new DOMParser().parseFromString(defused.html, "text/html");
    var body = doc.body;

    Array.prototype.forEach.call(
      body.querySelectorAll("script, style, link, meta, title, object, embed, iframe, frame, noscript, template, svg, math, form, input, button, select, textarea"),
      function (el) { if (el.parentNode) el.parentNode.removeChild(el); });
    // Hidden content (Word comments, tracked deletions, Google Docs markers).
    Array.prototype.forEach.call(body.querySelectorAll("[" + STYLE_ATTR + "]"), function (el) {
      var s = parseDeclarations(el);
      if (s.display === "none" || s["mso-hide"] === "all" || s.visibility === "hidden") {
        if (el.parentNode) el.parentNode.removeChild(el);
      }
    });
    Array.prototype.forEach.call(body.querySelectorAll("del, s.msoDel, .msocomanchor, .MsoCommentReference, .MsoCommentText"), function (el) {
      if (el.parentNode) el.parentNode.removeChild(el);
    });

    convertWordLists(body, defused.listFormats);

    // Headings: the article title is the page's h1, so the body uses h2 and h3 only.
    Array.prototype.forEach.call(body.querySelectorAll("h1, p.MsoTitle"), function (el) { rename(el, "h2"); });
    Array.prototype.forEach.call(body.querySelectorAll("h4, h5, h6, p.MsoSubtitle"), function (el) { rename(el, "h3"); });

    // Bold and italic set with CSS (Google Docs, Word "font-weight:bold" spans).
    Array.prototype.forEach.call(body.querySelectorAll("[" + STYLE_ATTR + "]"), function (el) {
      var s = parseDeclarations(el);
      var tag = el.tagName;
      if (s["font-weight"]) {
        if (isBold(s["font-weight"]) && !/^(B|STRONG|H[1-6])$/.test(tag)) wrapChildren(el, "strong");
        else if (!isBold(s["font-weight"]) && /^(B|STRONG)$/.test(tag)) { unwrap(el); return; }
      }
      if (s["font-style"]) {
        if (/italic|oblique/.test(s["font-style"]) && !/^(I|EM)$/.test(tag)) wrapChildren(el, "em");
        else if (s["font-style"] === "normal" && /^(I|EM)$/.test(tag)) { unwrap(el); return; }
      }
    });

    // Images: only same-site images can be shown under the CSP (img-src 'self').
    var dropped = 0;
    Array.prototype.forEach.call(body.querySelectorAll("img"), function (img) {
      if (!sameOriginImage(img.getAttribute("src"))) {
        dropped++;
        img.parentNode.removeChild(img);
      }
    });
    Array.prototype.forEach.call(body.getElementsByTagName("v:imagedata"), function (el) { dropped++; });
    if (report && dropped) report.imagesDropped = dropped;

    // Word's <o:p> (empty-paragraph filler) and other namespaced tags.
    Array.prototype.slice.call(body.querySelectorAll("*")).forEach(function (el) {
      if (el.tagName.indexOf(":") > 0) {
        if (!visibleText(el)) { if (el.parentNode) el.parentNode.removeChild(el); } else unwrap(el);
      }
    });

    normalizeTables(body);

    // Empty paragraphs (Word puts one between blocks).
    Array.prototype.forEach.call(body.querySelectorAll("p, div, h2, h3"), function (el) {
      if (!visibleText(el) && !el.querySelector("img") && el.parentNode && !el.closest("td")) {
        el.parentNode.removeChild(el);
      }
    });

    // Attributes: keep only what the editor's formats read.
    Array.prototype.forEach.call(body.querySelectorAll("*"), function (el) {
      Array.prototype.slice.call(el.attributes).forEach(function (attr) {
        var name = attr.name.toLowerCase();
        var keep = (name === "href" && el.tagName === "A") ||
                   ((name === "src" || name === "alt") && el.tagName === "IMG") ||
                   (name === "data-list" && el.tagName === "LI") ||
                   (name === "class" && el.tagName === "LI" && /^ql-indent-\d$/.test(attr.value));
        if (!keep) el.removeAttribute(attr.name);
      });
    });
    return body.innerHTML;
  }

  // Clipboard that cleans HTML before Quill parses it (paste, drop and initial load).
  var BaseClipboard = Quill.import("modules/clipboard");
  var Delta = Quill.import("delta");

  class CleanClipboard extends BaseClipboard {
    convertHTML(html) {
      var report = {};
      var result = super.convertHTML(cleanPastedHTML(html, report));
      if (report.imagesDropped && this.onImagesDropped) this.onImagesDropped(report.imagesDropped);
      return result;
    }

    // Quill's own handler parses the raw clipboard HTML when files are present;
    // this one never does, and sends image files to the uploader.
    onCapturePaste(e) {
      if (e.defaultPrevented || !this.quill.isEnabled()) return;
      e.preventDefault();
      var range = this.quill.getSelection(true);
      if (range == null) return;
      var data = e.clipboardData;
      var html = data ? data.getData("text/html") : "";
      var text = data ? data.getData("text/plain") : "";
      if (!html && !text && data) text = (data.getData("text/uri-list") || "").split(/\r?\n/).filter(function (u) { return u.charAt(0) !== "#"; }).join("\n");
      var files = data ? Array.prototype.slice.call(data.files || []) : [];
      if (!html && !text && files.length) {
        this.quill.uploader.upload(range, files);
        return;
      }
      this.onPaste(range, { html: html, text: text });
    }
  }
  Quill.register("modules/clipboard", CleanClipboard, true);

  // --------------------------------------------------------- serializing
  function isEmpty(quill) {
    var ops = quill.getContents().ops;
    return ops.every(function (op) {
      return typeof op.insert === "string" && !op.insert.replace(/[\s\u00a0]+/g, "");
    });
  }

  function toHTML(quill) {
    if (isEmpty(quill)) return "";
    var html = quill.getSemanticHTML();
    return html
      // Quill 2.0.3 writes every space as &nbsp; (escaped text can't contain "&nbsp;")
      .replace(/(?:&nbsp;)+/g, function (run) { return " " + Array(run.length / 6).join("&nbsp;"); })
      .replace(/<table style="[^"]*">/g, "<table>")
      .replace(/ data-row="[^"]*"/g, "")
      .replace(/ rel="noopener noreferrer" target="_blank"/g, "")
      .replace(/ class="ql-[a-z0-9-]+"/g, "")
      .replace(/<p><\/p>/g, "")
      .replace(/<(p|h2|h3|li|td)> /g, "<$1>");
  }

  function plainTextToHTML(text) {
    var div = document.createElement("div");
    return text.split(/\r?\n/).map(function (line) {
      div.textContent = line.trim();
      return div.innerHTML ? "<p>" + div.innerHTML + "</p>" : "";
    }).join("");
  }

  // ------------------------------------------------------------- toolbar
  var TOOLBAR = [
    [["header", "2", "h2"], ["header", "3", "h3"]],
    [["bold", null, "bold"], ["italic", null, "italic"]],
    [["list", "bullet", "bullet"], ["list", "ordered", "ordered"]],
    [["link", null, "link"], ["image", null, "image"]],
    [["table", null, "table"], ["table-row-below", null, "rowBelow", true], ["table-column-right", null, "columnRight", true],
     ["table-delete-row", null, "deleteRow", true], ["table-delete-column", null, "deleteColumn", true], ["table-delete", null, "deleteTable", true]],
    [["clean", null, "clean"]],
    [["undo", null, "undo"], ["redo", null, "redo"]]
  ];

  function buildToolbar() {
    var bar = document.createElement("div");
    bar.className = "rich-text__toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", T.toolbar);
    TOOLBAR.forEach(function (group) {
      var span = document.createElement("span");
      span.className = "ql-formats";
      group.forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "ql-" + spec[0];
        if (spec[1]) button.value = spec[1];
        button.setAttribute("aria-label", T[spec[2]]);
        button.title = T[spec[2]];
        button.tabIndex = -1;
        if (spec[3]) button.setAttribute("data-needs-table", "");
        span.appendChild(button);
      });
      bar.appendChild(span);
    });
    var first = bar.querySelector("button");
    if (first) first.tabIndex = 0;
    // One tab stop for the whole toolbar; arrow keys move between buttons (ARIA toolbar pattern).
    bar.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(bar.querySelectorAll("button"));
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) return;
      var next = null;
      if (event.key === "ArrowRight") next = (index + 1) % buttons.length;
      else if (event.key === "ArrowLeft") next = (index - 1 + buttons.length) % buttons.length;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = buttons.length - 1;
      if (next === null) return;
      event.preventDefault();
      buttons[index].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });
    bar.addEventListener("focusin", function (event) {
      if (event.target.tagName !== "BUTTON") return;
      Array.prototype.forEach.call(bar.querySelectorAll("button"), function (b) { b.tabIndex = b === event.target ? 0 : -1; });
    });
    return bar;
  }

  // ------------------------------------------------------------- images
  function csrfToken(form) {
    var field = form && form.querySelector("input[name=csrf_token]");
    if (field) return field.value;
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.getAttribute("content") : "";
  }

  function insertImage(quill, url, announce) {
    if (!sameOriginImage(url)) {
      window.alert(T.imageNotLocal);
      return;
    }
    var alt = window.prompt(T.imageAlt, "");
    if (alt === null) return;
    var range = quill.getSelection(true) || { index: quill.getLength() - 1, length: 0 };
    quill.updateContents(new Delta().retain(range.index).delete(range.length)
      .insert({ image: url }, alt.trim() ? { alt: alt.trim() } : undefined), "user");
    quill.setSelection(range.index + 1, 0, "silent");
    announce(T.imageInserted);
  }

  function uploadImage(quill, textarea, file, announce) {
    var form = textarea.form;
    var data = new FormData();
    data.append(textarea.getAttribute("data-image-upload-field") || "image", file);
    var token = csrfToken(form);
    if (token) data.append("csrf_token", token);
    announce(T.imageUploading);
    return fetch(textarea.getAttribute("data-image-upload-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: token ? { "X-CSRFToken": token, "Accept": "application/json" } : { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (json) {
      if (!json || !json.url) throw new Error("no url");
      insertImage(quill, json.url, announce);
    }).catch(function () {
      window.alert(T.imageUploadFailed);
    });
  }

  // -------------------------------------------------------------- mount
  var counter = 0;

  function mount(textarea) {
    if (textarea.getAttribute("data-rich-text-ready")) return;
    counter++;
    var id = textarea.id || ("rich-text-" + counter);
    var form = textarea.form;
    var label = textarea.id ? document.querySelector('label[for="' + textarea.id + '"]') : null;
    var labelText = label ? label.textContent.replace(/\s+/g, " ").trim() : (textarea.getAttribute("aria-label") || "");

    var wrapper = document.createElement("div");
    wrapper.className = "rich-text";
    var toolbar = buildToolbar();
    var container = document.createElement("div");
    container.className = "rich-text__editor";
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(toolbar);
    wrapper.appendChild(container);
    wrapper.appendChild(status);

    function announce(message) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }

    var hasUpload = !!textarea.getAttribute("data-image-upload-url");
    var quill;
    var uploadInput = null;

    try {
      textarea.parentNode.insertBefore(wrapper, textarea.nextSibling);
      quill = new Quill(container, {
        theme: "snow",
        bounds: wrapper,
        placeholder: textarea.getAttribute("placeholder") || "",
        formats: ["header", "bold", "italic", "link", "list", "indent", "image", "table"],
        modules: {
          table: true,
          history: { delay: 800, maxStack: 200, userOnly: true },
          uploader: {
            mimetypes: ["image/png", "image/jpeg"],
            handler: function (range, files) {
              if (hasUpload && files.length) uploadImage(this.quill, textarea, files[0], announce);
            }
          },
          keyboard: {
            bindings: {
              // Tab leaves the editor (no keyboard trap); in lists and tables Quill's own
              // Tab bindings (change list level, next cell) still apply.
              tab: { key: "Tab", handler: function () { return true; } },
              // Quill binds Ctrl+Y to redo on Windows only; the tooltip promises it everywhere.
              "redo y": { key: "y", shortKey: true, handler: function () { this.quill.history.redo(); return false; } }
            }
          },
          toolbar: {
            container: toolbar,
            handlers: {
              image: function () {
                if (hasUpload) {
                  if (!uploadInput) {
                    uploadInput = document.createElement("input");
                    uploadInput.type = "file";
                    uploadInput.accept = "image/png,image/jpeg";
                    uploadInput.hidden = true;
                    uploadInput.addEventListener("change", function () {
                      if (uploadInput.files && uploadInput.files[0]) uploadImage(quill, textarea, uploadInput.files[0], announce);
                      uploadInput.value = "";
                    });
                    wrapper.appendChild(uploadInput);
                  }
                  uploadInput.click();
                } else {
                  var url = window.prompt(T.imageAddress, "/tin-tuc/anh/");
                  if (url && url.trim() && url.trim() !== "/tin-tuc/anh/") insertImage(quill, url.trim(), announce);
                }
              },
              table: function () { this.quill.getModule("table").insertTable(3, 3); },
              "table-row-below": function () { this.quill.getModule("table").insertRowBelow(); },
              "table-column-right": function () { this.quill.getModule("table").insertColumnRight(); },
              "table-delete-row": function () { this.quill.getModule("table").deleteRow(); },
              "table-delete-column": function () { this.quill.getModule("table").deleteColumn(); },
              "table-delete": function () { this.quill.getModule("table").deleteTable(); },
              undo: function () { this.quill.history.undo(); },
              redo: function () { this.quill.history.redo(); }
            }
          }
        }
      });
    } catch (error) {
      if (wrapper.parentNode) wrapper.parentNode.removeChild(wrapper);
      if (window.console) window.console.error("Rich-text editor not started:", error);
      return; // leave the plain textarea
    }

    quill.clipboard.onImagesDropped = function () { announce(T.imagesDropped); };

    // Initial content: the textarea's HTML (or plain text typed without JavaScript).
    var initial = textarea.value;
    if (initial && initial.trim()) {
      var looksLikeHTML = /^\s*</.test(initial) || /<\/?(p|h[1-6]|ul|ol|li|table|div|br|blockquote)\b/i.test(initial);
      quill.clipboard.dangerouslyPasteHTML(looksLikeHTML ? initial : plainTextToHTML(initial), "silent");
      quill.history.clear();
      quill.blur();
    }

    // The editable region: named after the textarea's label, described by its hint/error.
    var root = quill.root;
    root.id = id + "-editor";
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    if (labelText) root.setAttribute("aria-label", labelText);
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (textarea.hasAttribute(name)) root.setAttribute(name, textarea.getAttribute(name));
    });
    if (textarea.required) {
      // A hidden required field would block submission without telling anyone why;
      // the server still checks that the article is not empty.
      textarea.required = false;
      root.setAttribute("aria-required", "true");
    }
    toolbar.setAttribute("aria-controls", root.id);
    if (LANG === "vi") wrapper.setAttribute("lang", "vi");

    var tooltip = quill.theme && quill.theme.tooltip;
    if (tooltip && tooltip.textbox) {
      tooltip.textbox.setAttribute("aria-label", T.linkInput);
      tooltip.textbox.setAttribute("data-link", T.linkPlaceholder);
    }

    // Keep the textarea up to date.
    function sync() {
      textarea.value = toHTML(quill);
    }
    quill.on("text-change", sync);
    if (form) {
      form.addEventListener("submit", sync, true);
      form.addEventListener("formdata", sync);
    }

    // Table tools only make sense inside a table.
    var tableButtons = toolbar.querySelectorAll("[data-needs-table]");
    function updateTableButtons(range) {
      var inTable = false;
      if (range) {
        var format = quill.getFormat(range);
        inTable = !!format.table;
      }
      Array.prototype.forEach.call(tableButtons, function (b) { b.setAttribute("aria-disabled", inTable ? "false" : "true"); });
    }
    quill.on("editor-change", function (type, range) {
      if (type === "selection-change") updateTableButtons(range);
      else updateTableButtons(quill.getSelection());
    });
    updateTableButtons(null);
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[aria-disabled=true]");
      if (button) { event.preventDefault(); event.stopImmediatePropagation(); }
    }, true);

    // The label and error-summary links point at the (hidden) textarea: send them to the editor.
    if (label) label.addEventListener("click", function (event) { event.preventDefault(); quill.focus(); });
    if (textarea.id) {
      Array.prototype.forEach.call(document.querySelectorAll('a[href="#' + textarea.id + '"]'), function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          wrapper.scrollIntoView();
          quill.focus();
        });
      });
    }

    // Drag and drop of HTML goes through the same cleaning as paste.
    var draggingInside = false;
    root.addEventListener("dragstart", function () { draggingInside = true; });
    root.addEventListener("dragend", function () { draggingInside = false; });
    root.addEventListener("drop", function (event) {
      var data = event.dataTransfer;
      if (draggingInside || !data || (data.files && data.files.length)) return; // Quill's uploader takes files
      var html = data.getData("text/html");
      var text = data.getData("text/plain");
      if (!html && !text) return;
      event.preventDefault();
      var index = quill.getLength() - 1;
      var caret = document.caretRangeFromPoint ? document.caretRangeFromPoint(event.clientX, event.clientY) : null;
      if (caret) {
        var blot = Quill.find(caret.startContainer, true);
        if (blot && blot.scroll === quill.scroll) {
          index = blot.offset(quill.scroll) + (caret.startContainer.nodeType === Node.TEXT_NODE ? caret.startOffset : 0);
        }
      }
      quill.focus();
      quill.clipboard.onPaste({ index: index, length: 0 }, { html: html, text: text });
    });

    textarea.hidden = true;
    textarea.setAttribute("data-rich-text-ready", "1");
    wrapper.setAttribute("data-rich-text-for", textarea.id || "");
    textarea.richTextEditor = quill; // for tests and for the page's own scripts
    sync();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-rich-text]"), mount);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  window.PortalRichText = { cleanPastedHTML: cleanPastedHTML, toHTML: toHTML, mount: mount };
})();
