// The jury's rubric form: autosave of drafts, a copy on the device against dropped connections, submit,
// and the review's total shown as scores are chosen. Without this script the form posts to its page,
// which saves or submits the same way and then goes on to the next entry to score.
(function () {
  "use strict";
  var DELAY = 800;
  var lang = document.documentElement.lang || "en";

  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (part) { return part.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function clock(when) {
    return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "ru", { hour: "2-digit", minute: "2-digit", hour12: false }).format(when);
  }

  // The browser may refuse storage (private mode, full disk): the form then simply works online.
  var device = {
    get: function (key) { try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; } },
    set: function (key, value) { try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* online only */ } },
    drop: function (key) { try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ } }
  };

  function enhance(form) {
    var key = form.getAttribute("data-storage-key");
    var submitted = form.getAttribute("data-submitted") === "1";
    var serverUpdated = Date.parse(form.getAttribute("data-server-updated") || "") || 0;
    var statusLine = form.querySelector("[data-autosave-status]");
    var errorBox = form.querySelector("[data-form-error]");
    var timer = null;
    var saving = false;
    var again = false;
    // Once "Submit" is pressed no draft goes to the server any more: the submission carries everything.
    var submitting = false;
    // The button that submitted the form, for browsers that do not tell it with the event.
    var pressed = null;

    function say(text, state) {
      statusLine.textContent = text;
      statusLine.className = "autosave-status" + (state ? " " + state : "");
    }
    function showError(text) { errorBox.textContent = text; errorBox.hidden = !text; }
    function offline() { say(gettext("Offline — kept on this device"), "offline"); }

    function text(name) {
      var box = form.querySelector('textarea[name="' + name + '"]');
      return box ? box.value : "";
    }

    // Scores and comments by criterion, the feedback for the entrant and the note for the organisers.
    function read() {
      var scores = {};
      var comments = {};
      form.querySelectorAll("[data-criterion]").forEach(function (box) {
        var slug = box.getAttribute("data-criterion");
        var chosen = box.querySelector("input[type=radio]:checked") || box.querySelector("input[type=number]");
        var value = chosen && chosen.value !== "" ? parseInt(chosen.value, 10) : null;
        scores[slug] = isNaN(value) ? null : value;
        var comment = box.querySelector("[data-criterion-comment]");
        if (comment) comments[slug] = comment.value;
      });
      return { scores: scores, comments: comments, feedback: text("feedback"), comment: text("comment") };
    }

    // What goes to the server: a comment on a criterion left unscored waits on the device until it is scored.
    function payload(draft, scoredOnly) {
      var scores = {};
      var comments = {};
      var held = false;
      Object.keys(draft.scores || {}).forEach(function (slug) {
        if (!scoredOnly || draft.scores[slug] !== null) scores[slug] = draft.scores[slug];
      });
      Object.keys(draft.comments || {}).forEach(function (slug) {
        var scored = draft.scores && draft.scores[slug] !== null && draft.scores[slug] !== undefined;
        if (scored) comments[slug] = draft.comments[slug];
        else if (draft.comments[slug].trim()) held = true;
      });
      return { body: { scores: scores, comments: comments, feedback: draft.feedback || "", comment: draft.comment || "" }, held: held };
    }

    function write(draft) {
      Object.keys(draft.scores || {}).forEach(function (slug) {
        var box = form.querySelector('[data-criterion="' + slug + '"]');
        if (!box) return;
        var value = draft.scores[slug];
        var number = box.querySelector("input[type=number]");
        if (number) { number.value = value === null ? "" : value; return; }
        box.querySelectorAll("input[type=radio]").forEach(function (radio) { radio.checked = String(value) === radio.value; });
      });
      Object.keys(draft.comments || {}).forEach(function (slug) {
        var box = form.querySelector('[data-criterion-comment="' + slug + '"]');
        if (box) box.value = draft.comments[slug] || "";
      });
      ["feedback", "comment"].forEach(function (name) {
        var box = form.querySelector('textarea[name="' + name + '"]');
        if (box) box.value = draft[name] || "";
      });
    }

    function detail(body) {
      if (body && body.detail) return String(body.detail);
      if (body && typeof body === "object") {
        return Object.keys(body).map(function (field) { return [].concat(body[field]).join(" "); }).join(" ");
      }
      return gettext("The review could not be saved. Try again.");
    }

    function send(url, method, payload) {
      return fetch(url, {
        method: method,
        credentials: "same-origin",
        // The API answers a refusal in the page's language, not the browser's.
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "Accept-Language": lang,
          "X-CSRFToken": cookie("csrftoken")
        },
        body: JSON.stringify(payload)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) { return { ok: response.ok, body: body }; });
      });
    }

    function markDraft() {
      var badge = document.querySelector("[data-review-status]");
      if (!badge || submitted) return;
      badge.textContent = pgettext("review status", "Draft");
      badge.className = "status status-draft";
    }

    // Sends what the device keeps to the server as a draft; a submitted review waits for "Submit changes".
    function push() {
      var kept = device.get(key);
      if (!kept || kept.synced || submitted || submitting) return;
      if (!navigator.onLine) { offline(); return; }
      if (saving) { again = true; return; }
      saving = true;
      say(gettext("Saving…"));
      var sent = payload(kept, false);
      send(form.getAttribute("data-api"), "PUT", sent.body)
        .then(function (answer) {
          if (answer.ok) {
            var current = device.get(key);
            // Typed again while this was on its way: keep that for the next push.
            if (current && current.changedAt === kept.changedAt) {
              if (sent.held) { current.changedAt = Date.now(); device.set(key, current); } else device.drop(key);
            }
            showError("");
            markDraft();
            say(interpolate(gettext("Saved at %s"), [clock(new Date())]) +
              (sent.held ? " " + gettext("A comment on a criterion you have not scored yet is kept on this device until you score it.") : ""));
          } else {
            showError(detail(answer.body));
            say(gettext("Not saved — kept on this device"), "failed");
          }
        })
        .catch(offline)
        .then(function () {
          saving = false;
          if (again) { again = false; push(); }
        });
    }

    function changed() {
      var draft = read();
      draft.changedAt = Date.now();
      draft.synced = false;
      device.set(key, draft);
      if (submitted) { say(gettext("Changes kept on this device: submit them to save them."), "offline"); return; }
      if (submitting) return;
      if (!navigator.onLine) { offline(); return; }
      clearTimeout(timer);
      timer = setTimeout(push, DELAY);
    }

    function submitReview() {
      clearTimeout(timer);
      submitting = true;
      var draft = read();
      draft.changedAt = Date.now();
      draft.synced = false;
      device.set(key, draft);
      say(gettext("Submitting…"));
      send(form.getAttribute("data-submit-api"), "POST", payload(draft, true).body)
        .then(function (answer) {
          if (!answer.ok) {
            submitting = false;
            showError(detail(answer.body));
            say(gettext("Not submitted — kept on this device"), "failed");
            return;
          }
          device.drop(key);
          // On to the next entry to score; the server says what was done there.
          var next = form.getAttribute("data-after-submit");
          next += (next.indexOf("?") === -1 ? "?" : "&") + "done=" + (submitted ? "changed" : "submitted");
          window.location.assign(next);
        })
        .catch(function () {
          submitting = false;
          offline();
          showError(gettext("You are offline: the review is kept on this device. Submit it again once you are back online."));
        });
    }

    form.addEventListener("change", changed);
    form.addEventListener("input", function (event) { if (event.target.tagName === "TEXTAREA" || event.target.type === "number") changed(); });
    form.querySelectorAll("button[data-action]").forEach(function (button) {
      button.addEventListener("click", function () { pressed = button; });
    });
    form.addEventListener("submit", function (event) {
      // The action is the pressed button's own value, never a value read from the form's other fields.
      var button = event.submitter || pressed;
      var action = button && button.getAttribute("data-action") === "submit" ? "submit" : "draft";
      pressed = null;
      event.preventDefault();
      if (submitting) return;
      if (action === "submit") { submitReview(); return; }
      changed();
      clearTimeout(timer);
      var kept = device.get(key);
      if (kept && !kept.synced) push(); else say(interpolate(gettext("Saved at %s"), [clock(new Date())]));
    });
    window.addEventListener("online", push);
    window.addEventListener("offline", function () { if (!submitted) offline(); });

    // What the device kept and the server never got comes back into the form, then goes to the server.
    var kept = device.get(key);
    if (kept && !kept.synced && kept.changedAt > serverUpdated) {
      write(kept);
      if (submitted) say(gettext("Changes kept on this device: submit them to save them."), "offline");
      else push();
    } else {
      if (kept) device.drop(key);
      if (serverUpdated) say(interpolate(gettext("Saved at %s"), [clock(new Date(serverUpdated))]));
    }
  }

  // The review's total on Baige's 0–100 scale, as the results compute it: 100 · Σ w·s/M / Σ w.
  // It is shown once every criterion is scored; until then the line says how many are.
  function liveTotal(form) {
    var line = form.querySelector("[data-live-total]");
    if (!line) return;
    var shown = line.querySelector("[data-live-total-value]");
    var note = line.querySelector("[data-live-total-note]");
    var number = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    function update() {
      var boxes = form.querySelectorAll("[data-criterion]");
      var sum = 0;
      var weights = 0;
      var scored = 0;
      boxes.forEach(function (box) {
        var weight = parseFloat(box.getAttribute("data-weight"));
        var most = parseInt(box.getAttribute("data-max"), 10);
        var chosen = box.querySelector("input[type=radio]:checked") || box.querySelector("input[type=number]");
        var value = chosen && chosen.value !== "" ? Number(chosen.value) : NaN;
        weights += weight;
        if (Number.isInteger(value) && value >= 0 && value <= most && most > 0) {
          sum += weight * value / most;
          scored += 1;
        }
      });
      var complete = boxes.length && scored === boxes.length && weights > 0;
      put(shown, complete ? number.format(100 * sum / weights) : "—");
      put(note, complete ? "" : interpolate(gettext("%s of %s criteria scored"), [scored, boxes.length]));
    }
    // Written only when a score changes, and only what changed. A press on "Submit" first takes the focus
    // out of the text box just typed in, which fires "change"; a line rewritten then made the browser
    // re-anchor its scroll position, the page jumped between the press and the release, the release
    // landed on another element and the click never reached the button: the autosave ran instead.
    function put(element, text) { if (element.textContent !== text) element.textContent = text; }
    function scoreChanged(event) { if (event.target.closest("[data-criterion]") && event.target.tagName === "INPUT") update(); }
    form.addEventListener("change", scoreChanged);
    form.addEventListener("input", scoreChanged);
    line.hidden = false;
    update();
  }

  // The rubric is a stop of the keyboard where it scrolls on its own (wide screens), and only there:
  // elsewhere a focusable form is one more stop that leads nowhere.
  function focusableWhileScrolling(form) {
    function fit() {
      var scrolls = window.getComputedStyle(form).overflowY !== "visible" && form.scrollHeight > form.clientHeight;
      if (scrolls) form.setAttribute("tabindex", "0"); else form.removeAttribute("tabindex");
    }
    fit();
    window.addEventListener("resize", fit);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-review-form]").forEach(function (form) {
      focusableWhileScrolling(form);
      if (form.getAttribute("data-open") === "1") enhance(form);
      liveTotal(form);
    });
  });
})();
