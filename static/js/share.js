// The share flow, made easier with JavaScript. Every page works without it: this file only adds in-browser
// recording, showing the questions that apply, copying the private link, and a few checks before uploading.
// The words it shows come from the page, in the reader's language: data-text-* attributes the templates translate
// (share/story.html, share/done.html), with "{name}" standing for a number filled in here.
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  // A data-text-<name> attribute of `element`, with {placeholders} filled in from `values`.
  function text(element, name, values) {
    var words = element.getAttribute("data-text-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { words = words.split("{" + key + "}").join(values[key]); });
    return words;
  }

  // An error summary gets focus, so screen-reader and keyboard users land on what needs fixing.
  var summary = $("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Show a question only when the answer before it makes it apply (the server checks the same rules).
  function revealWhen(container, radioName, shownFor, onHide) {
    if (!container) { return; }
    var radios = $$('input[name="' + radioName + '"]');
    function update() {
      var chosen = radios.filter(function (r) { return r.checked; })[0];
      var show = chosen ? shownFor.indexOf(chosen.value) !== -1 : true;
      container.hidden = !show;
      if (!show && onHide) { onHide(); }
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }
  var nameField = $("[data-display-name]");
  revealWhen(nameField, "identity", ["first_name", "pseudonym", "full_name"]);

  // Say at once when a chosen file is over the size cap, instead of after a long upload.
  var mediaField = $("[data-media-field]");
  if (mediaField) {
    var maxBytes = parseInt(mediaField.getAttribute("data-max-bytes"), 10);
    var fileInput = $('input[type="file"]', mediaField);
    var warning = $("[data-size-warning]", mediaField);
    fileInput.addEventListener("change", function () {
      var file = fileInput.files[0];
      if (file && maxBytes && file.size > maxBytes) {
        warning.textContent = text(warning, "too-big", {
          size: Math.ceil(file.size / 1048576), max: Math.floor(maxBytes / 1048576)
        });
        warning.hidden = false;
        fileInput.value = "";
      } else {
        warning.hidden = true;
      }
    });
  }

  // Recording in the browser: the recording goes into the same file field an upload would use.
  var recorderBox = $("[data-recorder]");
  if (recorderBox && mediaField && window.MediaRecorder && navigator.mediaDevices &&
      navigator.mediaDevices.getUserMedia && window.DataTransfer) {
    setUpRecorder(recorderBox, $('input[type="file"]', mediaField));
  }

  function preferredType(kind) {
    var candidates = kind === "video"
      ? ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"]
      : ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
    return candidates.filter(function (type) { return MediaRecorder.isTypeSupported(type); })[0] || "";
  }

  function clock(seconds) {
    var s = Math.floor(seconds % 60);
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  function setUpRecorder(box, fileInput) {
    var fallback = $("[data-recorder-fallback]");
    var status = $("[data-recorder-status]", box);
    var timer = $("[data-recorder-timer]", box);
    var start = $("[data-recorder-start]", box);
    var stop = $("[data-recorder-stop]", box);
    var again = $("[data-recorder-again]", box);
    var result = $("[data-recorder-result]", box);
    var live = $("[data-recorder-live]", box);
    var playAudio = $("[data-recorder-playback-audio]", box);
    var playVideo = $("[data-recorder-playback-video]", box);
    var maxSeconds = parseInt(box.getAttribute("data-max-seconds"), 10) || 3600;
    var stream = null, recorder = null, chunks = [], ticking = null, startedAt = 0, playbackUrl = null;

    if (fallback) { fallback.hidden = true; }
    box.hidden = false;

    function kind() {
      var chosen = $$('input[name="recorder_kind"]', box).filter(function (r) { return r.checked; })[0];
      return chosen ? chosen.value : "audio";
    }

    function stopStream() {
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      live.hidden = true;
      live.srcObject = null;
    }

    start.addEventListener("click", function () {
      var wanted = kind();
      status.textContent = text(box, wanted === "video" ? "asking-video" : "asking-audio");
      navigator.mediaDevices.getUserMedia({ audio: true, video: wanted === "video" }).then(function (s) {
        stream = s;
        var type = preferredType(wanted);
        recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
        chunks = [];
        recorder.addEventListener("dataavailable", function (event) {
          if (event.data && event.data.size) { chunks.push(event.data); }
        });
        recorder.addEventListener("stop", finished);
        if (wanted === "video") { live.srcObject = stream; live.hidden = false; live.play(); }
        recorder.start(1000);
        startedAt = Date.now();
        timer.textContent = "0:00";
        ticking = window.setInterval(function () {
          var seconds = (Date.now() - startedAt) / 1000;
          timer.textContent = clock(seconds);
          if (seconds >= maxSeconds) { stop.click(); }
        }, 500);
        result.hidden = true;
        start.hidden = true;
        stop.hidden = false;
        stop.focus();
        status.textContent = text(box, "recording");
      }).catch(function () {
        stopStream();
        status.textContent = text(box, wanted === "video" ? "refused-video" : "refused-audio");
      });
    });

    stop.addEventListener("click", function () {
      if (recorder && recorder.state !== "inactive") { recorder.stop(); }
    });

    function finished() {
      window.clearInterval(ticking);
      var seconds = (Date.now() - startedAt) / 1000;
      stopStream();
      var type = (recorder.mimeType || "audio/webm").split(";")[0];
      var extension = type.indexOf("mp4") !== -1 ? "mp4" : type.indexOf("ogg") !== -1 ? "ogg" : "webm";
      var blob = new Blob(chunks, { type: type });
      var transfer = new DataTransfer();
      transfer.items.add(new File([blob], "recording." + extension, { type: type }));
      fileInput.files = transfer.files;
      if (playbackUrl) { URL.revokeObjectURL(playbackUrl); }
      playbackUrl = URL.createObjectURL(blob);
      var isVideo = type.indexOf("video") === 0;
      playAudio.hidden = isVideo;
      playVideo.hidden = !isVideo;
      (isVideo ? playVideo : playAudio).src = playbackUrl;
      result.hidden = false;
      stop.hidden = true;
      start.hidden = false;
      start.textContent = text(box, "start-again");
      status.textContent = text(box, "recorded", { time: clock(seconds) });
      again.focus();
    }

    again.addEventListener("click", function () {
      fileInput.value = "";
      result.hidden = true;
      start.click();
    });
  }

  // Copy the private link, and say so where a screen reader will hear it.
  var copyButton = $("[data-copy-button]");
  var copySource = $("[data-copy-source]");
  if (copyButton && copySource) {
    var copyStatus = $("[data-copy-status]");
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      function copied() { copyStatus.textContent = text(copyStatus, "copied"); }
      copySource.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(copySource.value).then(copied, function () {
          copyStatus.textContent = text(copyStatus, "not-copied");
        });
      } else {
        document.execCommand("copy");
        copied();
      }
    });
  }

  // One press sends the story once; the server also ignores a repeat of the same form.
  var sendForm = $("[data-send-form]");
  if (sendForm) {
    sendForm.addEventListener("submit", function (event) {
      if (sendForm.getAttribute("data-sending")) { event.preventDefault(); return; }
      if (event.submitter && event.submitter.name === "back") { return; }
      sendForm.setAttribute("data-sending", "1");
      var sending = sendForm.getAttribute("data-text-sending");
      if (event.submitter && sending) { event.submitter.textContent = sending; }
    });
  }
})();
