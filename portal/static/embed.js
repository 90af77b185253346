/* The portal includes this file with one <script> tag; every element with a data-dan-van
   attribute becomes a frame showing that page of ours, as tall as its content.

     <div data-dan-van="/embed/gui-don/" data-title="Gửi đơn"></div>
     <script src="https://dan-van.example.gov.vn/static/embed.js" async></script>

   We accept height messages only from our own origin and only from the frames we made. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var base = script.src.replace(/\/static\/embed\.js(\?.*)?$/, "");
  var appOrigin = new URL(base).origin;
  var frames = [];

  function embed(holder) {
    var path = holder.getAttribute("data-dan-van") || "";
    if (!/^\/embed\/[\w\-\/.]*(\?[\w\-=&%.]*)?$/.test(path)) {
      return;
    }
    var iframe = document.createElement("iframe");
    iframe.src = base + path;
    iframe.title = holder.getAttribute("data-title") || document.title;
    iframe.style.width = "100%";
    iframe.style.border = "0";
    iframe.style.display = "block";
    iframe.style.height = (holder.getAttribute("data-height") || "600") + "px";
    iframe.addEventListener("load", function () {
      iframe.contentWindow.postMessage({ type: "dan-van:hello" }, appOrigin);
    });
    while (holder.firstChild) {
      holder.removeChild(holder.firstChild);
    }
    holder.appendChild(iframe);
    frames.push(iframe);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== appOrigin || !event.data || event.data.type !== "dan-van:height") {
      return;
    }
    var height = Math.min(Math.max(Number(event.data.height) || 0, 120), 20000);
    frames.forEach(function (iframe) {
      if (iframe.contentWindow === event.source) {
        iframe.style.height = height + "px";
      }
    });
  });

  document.querySelectorAll("[data-dan-van]").forEach(embed);
})();
