// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // The menu button shows and hides the navigation on narrow screens. The
  // class on <html> says scripts run; without it the navigation stays open.
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-menu]");
    if (!btn) return;
    var open = btn.closest(".sidebar").classList.toggle("nav-open");
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // Pretty-print the JSON snapshots in the activity log.
  function prettyJSON(root) {
    root.querySelectorAll("pre.json:not([data-pretty])").forEach(function (pre) {
      pre.setAttribute("data-pretty", "");
      try {
        pre.textContent = JSON.stringify(JSON.parse(pre.textContent), null, 2);
      } catch (e) { /* leave it as it came */ }
    });
  }

  // Copy buttons: <button data-copy="#input-id">.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-copy]");
    if (!btn) return;
    var field = document.querySelector(btn.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    var done = function () {
      var label = btn.textContent;
      btn.textContent = "Copied";
      setTimeout(function () { btn.textContent = label; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done);
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  });

  // Leave empty filters out of live-search URLs, so the address bar shows
  // /controls?q=mfa rather than every blank field.
  document.addEventListener("htmx:configRequest", function (ev) {
    if (ev.detail.verb !== "get") return;
    var params = ev.detail.parameters;
    Object.keys(params).forEach(function (k) {
      if (params[k] === "") delete params[k];
    });
  });

  // The audit engagement form shows the dates of the chosen type only.
  // Without this file both sets show, each labelled with its type.
  function auditTypeFields(root) {
    root.querySelectorAll("[data-audit-type-select]").forEach(function (sel) {
      sel.form.querySelectorAll("[data-audit-type]").forEach(function (field) {
        var off = field.getAttribute("data-audit-type") !== sel.value;
        field.hidden = off;
        field.querySelectorAll("input").forEach(function (i) { i.disabled = off; });
      });
    });
  }
  document.addEventListener("change", function (ev) {
    if (ev.target.matches("[data-audit-type-select]")) auditTypeFields(document);
  });

  document.addEventListener("DOMContentLoaded", function () { prettyJSON(document); auditTypeFields(document); });
  document.addEventListener("htmx:afterSwap", function (ev) { prettyJSON(ev.target); });
})();
