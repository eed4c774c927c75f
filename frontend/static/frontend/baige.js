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

  // A file being processed: follow its state until it is ready or failed, then show the result.
  function mediaStatus() {
    var box = document.querySelector("[data-media-status]");
    if (!box) return;
    var url = box.getAttribute("data-media-status");
    var text = box.querySelector("[data-status-text]");
    var bar = box.querySelector("[data-status-bar]");
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (state.status === "ready" || state.status === "failed") { window.location.reload(); return; }
          if (text) text.textContent = state.status_display + (state.status === "processing" ? " · " + state.progress + "%" : "");
          if (bar && state.status === "processing") bar.value = state.progress;
          setTimeout(poll, 2000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1500);
  }

  // The lower rendition for a weak connection, keeping the playback position.
  function qualitySwitch() {
    document.querySelectorAll("[data-quality-switch]").forEach(function (button) {
      var video = button.closest("figure").querySelector("video");
      var source = video.querySelector("source");
      var other = button.getAttribute("data-src");
      button.addEventListener("click", function () {
        var at = video.currentTime, playing = !video.paused, current = source.getAttribute("src");
        source.setAttribute("src", other);
        other = current;
        button.textContent = button.textContent === button.dataset.labelLow ? button.dataset.labelHigh : button.dataset.labelLow;
        video.load();
        video.currentTime = at;
        if (playing) video.play();
      });
    });
  }

  // The slide viewer: one slide at a time, buttons and the arrow keys. Without a script all slides show.
  function slideViewers() {
    document.querySelectorAll("[data-slides]").forEach(function (viewer) {
      var slides = viewer.querySelectorAll("[data-slide]");
      var counter = viewer.querySelector("[data-slide-counter]");
      var index = 0;
      function show(next) {
        index = Math.max(0, Math.min(slides.length - 1, next));
        slides.forEach(function (slide, i) { slide.hidden = i !== index; });
        counter.textContent = interpolate(gettext("%s of %s"), [index + 1, slides.length]);
      }
      viewer.classList.add("enhanced");
      viewer.querySelector(".slides-nav").hidden = false;
      viewer.querySelector("[data-slide-prev]").addEventListener("click", function () { show(index - 1); });
      viewer.querySelector("[data-slide-next]").addEventListener("click", function () { show(index + 1); });
      document.addEventListener("keydown", function (event) {
        var tag = (event.target.tagName || "").toLowerCase();
        if (tag === "input" || tag === "textarea" || tag === "select") return;
        if (event.key === "ArrowRight" || event.key === "PageDown") { show(index + 1); event.preventDefault(); }
        if (event.key === "ArrowLeft" || event.key === "PageUp") { show(index - 1); event.preventDefault(); }
        if (event.key === "Home") show(0);
        if (event.key === "End") show(slides.length - 1);
      });
      show(0);
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
    autosubmit();
    mediaStatus();
    qualitySwitch();
    slideViewers();
  });
})();
