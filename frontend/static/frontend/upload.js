// The entry's file, sent in parts with Uppy: a progress bar, retries when the connection breaks, and the upload
// continues where it stopped after a reload. Without this script (or without Uppy) the form sends the whole file.
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";

  // Uppy's own strings, through Baige's catalogue. Russian comes with Uppy (@uppy/locales); Kazakh does not.
  function baigeLocale() {
    // Uppy picks the form of a plural string by index: 0 for one, 1 for more.
    function forms(pick) { return { 0: pick(1), 1: pick(2) }; }
    return {
      pluralize: function (count) { return count === 1 ? 0 : 1; },
      strings: {
        uploading: gettext("Uploading"),
        complete: gettext("Complete"),
        uploadFailed: gettext("Upload failed"),
        paused: gettext("Paused"),
        retry: gettext("Retry"),
        retryUpload: gettext("Retry upload"),
        cancel: gettext("Cancel"),
        pause: gettext("Pause"),
        resume: gettext("Resume"),
        done: gettext("Done"),
        upload: gettext("Upload"),
        // Translators: Uppy fills in %{complete} (bytes sent) and %{total} (the file's size); keep them as they are.
        dataUploadedOfTotal: gettext("%{complete} of %{total}"),
        // Translators: Uppy fills in %{complete} (bytes sent); keep it as it is.
        dataUploadedOfUnknown: gettext("%{complete} of unknown"),
        // Translators: Uppy fills in %{time}, e.g. "1m 5s"; keep it as it is.
        xTimeLeft: gettext("%{time} left"),
        filesUploadedOfTotal: forms(function (n) {
          // Translators: Uppy fills in %{complete} and %{smart_count} (numbers of files); keep them as they are.
          return ngettext("%{complete} of %{smart_count} file uploaded", "%{complete} of %{smart_count} files uploaded", n);
        }),
        uploadXFiles: forms(function (n) {
          // Translators: Uppy fills in %{smart_count} (a number of files); keep it as it is.
          return ngettext("Upload %{smart_count} file", "Upload %{smart_count} files", n);
        }),
        uploadXNewFiles: forms(function (n) {
          // Translators: Uppy fills in %{smart_count} (a number of files); keep it as it is.
          return ngettext("Upload +%{smart_count} file", "Upload +%{smart_count} files", n);
        }),
        xMoreFilesAdded: forms(function (n) {
          // Translators: Uppy fills in %{smart_count} (a number of files); keep it as it is.
          return ngettext("%{smart_count} more file added", "%{smart_count} more files added", n);
        }),
        showErrorDetails: gettext("Show error details"),
        failedToAddFiles: gettext("Failed to add files")
      }
    };
  }

  function uppyLocale() {
    if (lang === "ru" && Uppy.locales && Uppy.locales.ru_RU) return Uppy.locales.ru_RU;
    return baigeLocale();
  }

  function resumableUpload(form) {
    var api = form.dataset.api.replace(/\/$/, "");
    var input = form.querySelector("input[type=file]");
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-upload-status]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var maxSize = Number(form.dataset.maxSize);
    // The last error our API answered: {detail, code}.
    var apiError = null;
    // Uppy asks for the part size without saying which file: there is only one.
    var partSize = 8 * 1024 * 1024;

    function say(message, isError) {
      status.textContent = message || "";
      if (isError) status.setAttribute("role", "alert");
      else status.removeAttribute("role");
    }

    function report(percent) {
      form.dataset.progress = String(percent);
      form.dispatchEvent(new CustomEvent("upload:progress", { bubbles: true, detail: { percent: percent } }));
    }

    // Uppy's S3 plugin calls our API with plain fetch(), which can neither carry the CSRF token nor read our
    // error messages. For our upload API only: add the token and the page's language, and keep the error.
    var nativeFetch = window.fetch.bind(window);
    window.fetch = function (resource, init) {
      var address = typeof resource === "string" || resource instanceof URL ? String(resource) : resource.url;
      var url = new URL(address, window.location.href);
      if (url.origin !== window.location.origin || url.pathname.indexOf(api + "/") !== 0) {
        return nativeFetch(resource, init);
      }
      init = Object.assign({}, init);
      var headers = new Headers(init.headers || {});
      headers.set("Accept", "application/json");
      headers.set("Accept-Language", lang);
      if (!/^(GET|HEAD)$/i.test(init.method || "GET")) headers.set("X-CSRFToken", token);
      init.headers = headers;
      init.credentials = "same-origin";
      return nativeFetch(resource, init).then(function (response) {
        if (response.ok) return response;
        return response.clone().json().catch(function () { return {}; }).then(function (body) {
          apiError = body;
          return response;
        });
      });
    };

    var uppy = new Uppy.Uppy({
      // One store per entry, so that an interrupted upload comes back on its own entry's page.
      id: "baige-" + form.dataset.contest + "-" + form.dataset.entry,
      autoProceed: false,
      restrictions: { maxNumberOfFiles: 1, maxFileSize: maxSize },
      locale: uppyLocale()
    });
    uppy.use(Uppy.AwsS3, {
      companionEndpoint: api,
      shouldUseMultipart: true,
      getChunkSize: function () { return partSize; },
      limit: 1
    });
    uppy.use(Uppy.StatusBar, {
      target: form.querySelector("[data-upload-progress]"),
      hideUploadButton: true,
      hideAfterFinish: false,
      showProgressDetails: true
    });
    uppy.use(Uppy.GoldenRetriever, { serviceWorker: false });

    function failed(message) {
      message = message || gettext("The upload failed. Check your connection and try again.");
      // A refused replacement changes nothing: say so, so that nobody fears their entry lost its file.
      if (form.dataset.hasFile) message += " " + gettext("Your current file stays as it was.");
      say(message, true);
      button.disabled = false;
    }

    // Our API creates the upload (checking the deadline, the author and the size), then Uppy carries it on
    // exactly as it resumes one: it lists the parts received, sends the missing ones and completes.
    function create(file) {
      return window.fetch(api + "/", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          contest: form.dataset.contest, entry: form.dataset.entry, filename: file.name, size: file.size
        })
      }).then(function (response) {
        if (!response.ok) throw new Error("refused");
        return response.json();
      });
    }

    function resume(file) {
      partSize = Number(file.meta.partSize) || partSize;
      button.disabled = true;
      apiError = null;
      if (file.error) {
        uppy.retryUpload(file.id);
      } else if (Object.keys(uppy.getState().currentUploads).length) {
        uppy.emit("restore-confirmed");
      } else {
        uppy.upload();
      }
    }

    function sameFile(file, chosen) {
      var data = file.data;
      return file.name === chosen.name && file.size === chosen.size &&
        (!data || data.lastModified === undefined || data.lastModified === chosen.lastModified);
    }

    function start(chosen) {
      var current = uppy.getFiles()[0];
      if (current && current.s3Multipart && !current.progress.uploadComplete && sameFile(current, chosen)) {
        // The same file again: continue its upload instead of sending it all over again.
        if (current.isGhost) uppy.addFile({ name: chosen.name, type: chosen.type, data: chosen, source: "baige" });
        say(interpolate(gettext("Continuing the upload of “%s”…"), [chosen.name]));
        resume(uppy.getFile(current.id));
        return;
      }
      if (current) uppy.cancelAll();
      var id;
      try {
        id = uppy.addFile({ name: chosen.name, type: chosen.type, data: chosen, source: "baige" });
      } catch (refused) {
        return; // said by the "restriction-failed" handler
      }
      button.disabled = true;
      apiError = null;
      say(gettext("Starting the upload…"));
      create(chosen).then(function (upload) {
        partSize = upload.partSize;
        uppy.setFileMeta(id, { partSize: upload.partSize });
        uppy.setFileState(id, { s3Multipart: { uploadId: upload.uploadId, key: upload.key } });
        say("");
        return uppy.upload();
      }).catch(function () {
        if (uppy.getFile(id)) uppy.removeFile(id);
        failed(apiError && apiError.detail);
      });
    }

    form.addEventListener("submit", function (event) {
      var chosen = input.files[0];
      if (!chosen) return;
      event.preventDefault();
      start(chosen);
    });

    uppy.on("restriction-failed", function (file, error) {
      if (file && file.size > maxSize) {
        failed(interpolate(gettext("This file is larger than %s, the limit of this contest."), [form.dataset.maxSizeText]));
      } else {
        failed(error && error.message);
      }
    });

    uppy.on("upload-progress", function (file, progress) {
      if (progress.bytesTotal) report(Math.floor((progress.bytesUploaded / progress.bytesTotal) * 100));
    });

    uppy.on("upload-success", function () {
      report(100);
      say(gettext("The file is uploaded. It is being checked; this page shows how it goes."));
    });

    // A part sent to Baige's own server that it refused: its answer is JSON too.
    function partError(error) {
      var request = error && error.request;
      if (!request || request.status < 400 || request.responseURL.indexOf(window.location.origin) !== 0) return null;
      try { return JSON.parse(request.responseText); } catch (ignored) { return null; }
    }

    uppy.on("upload-error", function (file, error) {
      apiError = apiError || partError(error);
      var code = apiError && apiError.code;
      if (code === "upload_completed") {
        // Finished just before a reload: nothing left to send.
        uppy.cancelAll();
        window.location.reload();
        return;
      }
      if (apiError && apiError.detail) failed(apiError.detail);
      else if (navigator.onLine === false) failed(gettext("The connection is lost. The upload continues when it is back."));
      else failed();
    });

    uppy.on("cancel-all", function () {
      say("");
      button.disabled = false;
    });

    uppy.on("complete", function (result) {
      if (!result || !result.successful || !result.successful.length || (result.failed && result.failed.length)) return;
      form.dispatchEvent(new CustomEvent("upload:done", { bubbles: true }));
      // Golden Retriever saves its state at most twice a second: let it note the finished upload, then show the
      // page again with the new file's state.
      setTimeout(function () { window.location.reload(); }, 1000);
    });

    // After a reload, Golden Retriever brings back an unfinished upload.
    uppy.on("restored", function () {
      var file = uppy.getFiles()[0];
      if (!file) return;
      if (file.progress.uploadComplete || !file.s3Multipart) {
        uppy.cancelAll();
        return;
      }
      if (file.isGhost) {
        // Too large to be kept by the browser: the person chooses the same file again.
        say(interpolate(
          gettext("The upload of “%s” was interrupted. Choose the same file again to continue where it stopped."),
          [file.name]
        ));
        return;
      }
      say(interpolate(gettext("Continuing the upload of “%s”…"), [file.name]));
      resume(file);
    });

    // Back online after the retries gave up: go on by itself, as the message promised.
    window.addEventListener("online", function () {
      var file = uppy.getFiles()[0];
      if (file && file.error && file.s3Multipart && !file.isGhost) {
        say(interpolate(gettext("Continuing the upload of “%s”…"), [file.name]));
        resume(file);
      }
    });

    input.addEventListener("change", function () {
      var current = uppy.getFiles()[0];
      var chosen = input.files[0];
      if (current && current.isGhost && chosen && sameFile(current, chosen)) start(chosen);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Uppy || !window.fetch || !window.URL) return;
    document.querySelectorAll("form[data-resumable-upload]").forEach(resumableUpload);
  });
})();
