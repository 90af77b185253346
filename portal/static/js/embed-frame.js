/* Inside an embedded page (/embed/...): tell the portal's page how tall we are, and offer a
   new tab when the browser refuses this frame's cookies.
   The portal's embed.js greets us with {type: "dan-van:hello"}; we answer only a parent
   whose origin is in data-embed-origins, and only to that origin. */
(function () {
  "use strict";
  var root = document.documentElement;
  var allowed = (root.getAttribute("data-embed-origins") || "").split(" ").filter(Boolean);
  var parentOrigin = null;
  var lastHeight = 0;

  function postHeight() {
    if (!parentOrigin || window.parent === window) {
      return;
    }
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      window.parent.postMessage({ type: "dan-van:height", height: height }, parentOrigin);
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || allowed.indexOf(event.origin) < 0) {
      return;
    }
    if (!event.data || event.data.type !== "dan-van:hello") {
      return;
    }
    parentOrigin = event.origin;
    lastHeight = 0;
    postHeight();
  });
  if (window.ResizeObserver) {
    new window.ResizeObserver(postHeight).observe(document.body);
  }
  window.addEventListener("resize", postHeight);
  window.addEventListener("load", postHeight);

  if (document.cookie.indexOf("embed_probe=") >= 0) {
    return;
  }
  var warning = document.querySelector(".embed-cookie-warning");
  if (!warning) {
    return;
  }
  var forms = document.querySelectorAll("main form[method='post'], main form[method='POST']");
  if (!forms.length) {
    return;
  }
  warning.hidden = false;
  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      warning.focus();
    });
  });
  postHeight();
})();
