// The private page while a recording is written out: asks for its progress every few seconds and moves the bar and
// the percentage on, without a reload. When the writing-out starts, ends or the story moves on, it reloads the page
// once, so everything on it (the transcript's link, where the story is) is current. Without JavaScript the page's
// own "Refresh this page" link does the same by hand. The words it writes come from the page (data-percent-done, in
// the reader's language, "{percent}" standing for the number).
(function () {
  var panel = document.querySelector("[data-progress-url]");
  if (!panel) return;
  var url = panel.dataset.progressUrl;
  var status = panel.dataset.storyStatus;
  var bar = panel.querySelector("progress");
  var percent = panel.querySelector("[data-progress-percent]");
  var percentDone = panel.dataset.percentDone || "{percent}%";
  var running = Boolean(bar);
  var INTERVAL_MS = 3000;

  function show(state) {
    if (!state.active || state.status !== status || (state.transcription === "running") !== running) {
      window.location.reload();
      return false;
    }
    if (bar && state.progress !== null) {
      bar.value = state.progress;
      bar.textContent = state.progress + "%";
      if (percent) percent.textContent = percentDone.replace("{percent}", state.progress);
    }
    return true;
  }

  function check() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (state) {
        if (show(state)) window.setTimeout(check, INTERVAL_MS);
      })
      .catch(function () {
        // A dropped connection or a busy server: try again later; the refresh link still works.
        window.setTimeout(check, INTERVAL_MS * 3);
      });
  }

  window.setTimeout(check, INTERVAL_MS);
})();
