// Progressive enhancements of Baige's pages; every page works without them.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";

  // Deadlines: shown in the contest's time zone by the server, here also in the visitor's own.
  // Numeric dates: browsers' Intl has no Kazakh month names, and numbers read the same everywhere.
  function localTimes() {
    var format = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "ru", {
      day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false
    });
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll("time[data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when) || zone === el.getAttribute("data-zone")) return;
      var target = el.parentElement.querySelector("[data-local-out]");
      if (!target) return;
      target.textContent = interpolate(gettext("Your time: %s"), [format.format(when) + " (" + zone + ")"]);
      target.hidden = false;
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function countdowns() {
    var items = document.querySelectorAll("[data-countdown]");
    if (!items.length) return;
    function tick() {
      items.forEach(function (el) {
        var left = Math.max(0, new Date(el.getAttribute("data-countdown")) - Date.now());
        var s = Math.floor(left / 1000);
        var days = Math.floor(s / 86400);
        var clock = pad(Math.floor((s % 86400) / 3600)) + ":" + pad(Math.floor((s % 3600) / 60)) + ":" + pad(s % 60);
        el.textContent = days ? interpolate(ngettext("%s day", "%s days", days), [days]) + " " + clock : clock;
        if (left === 0 && el.dataset.done !== "1") { el.dataset.done = "1"; window.location.reload(); }
      });
    }
    tick();
    setInterval(tick, 1000);
  }

  // The entry's file: sent with a progress bar instead of a silent page load.
  function uploads() {
    document.querySelectorAll("form[data-upload]").forEach(function (form) {
      var bar = form.querySelector("progress");
      var status = form.querySelector("[data-upload-status]");
      var button = form.querySelector("button[type=submit]");
      form.addEventListener("submit", function (event) {
        var input = form.querySelector("input[type=file]");
        if (!input.files.length) return;
        event.preventDefault();
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.upload.addEventListener("progress", function (e) {
          if (!e.lengthComputable) return;
          var percent = Math.round((e.loaded / e.total) * 100);
          bar.hidden = false;
          bar.value = percent;
          status.textContent = percent + "%";
        });
        xhr.addEventListener("load", function () {
          var answer = {};
          try { answer = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON */ }
          if (xhr.status >= 200 && xhr.status < 300) {
            window.location.reload();
          } else {
            bar.hidden = true;
            button.disabled = false;
            status.textContent = answer.error || form.dataset.failed;
            status.setAttribute("role", "alert");
          }
        });
        xhr.addEventListener("error", function () {
          bar.hidden = true;
          button.disabled = false;
          status.textContent = form.dataset.failed;
          status.setAttribute("role", "alert");
        });
        button.disabled = true;
        xhr.send(new FormData(form));
      });
    });
  }

  function autosubmit() {
    document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    countdowns();
    uploads();
    autosubmit();
  });
})();
