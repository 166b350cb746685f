// The story player's interactive transcript: choosing a line plays from it, the line being spoken is highlighted,
// and a moment link (?t=12.3 or #t=12.3) opens the story at that moment. Without this script the page still has
// the player's own controls, captions and the full transcript.
(function () {
  "use strict";

  var player = document.querySelector("[data-player]");
  var transcript = document.querySelector("[data-transcript]");
  if (!player || !transcript) {
    return;
  }
  var lines = Array.prototype.slice.call(transcript.querySelectorAll(".transcript-line"));
  var starts = lines.map(function (line) { return parseFloat(line.getAttribute("data-start")); });
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var current = -1;

  // The last line that has started by `time` (lines are in order), or -1 before the first.
  function lineAt(time) {
    var low = 0, high = starts.length - 1, found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (starts[middle] <= time + 0.05) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  // Scroll the transcript box (never the page) so the current line stays in view.
  function keepInView(line) {
    if (transcript.scrollHeight <= transcript.clientHeight) {
      return;
    }
    var top = line.offsetTop, bottom = top + line.offsetHeight;
    if (top < transcript.scrollTop || bottom > transcript.scrollTop + transcript.clientHeight) {
      transcript.scrollTo({
        top: Math.max(0, top - transcript.clientHeight / 3),
        behavior: reducedMotion.matches ? "auto" : "smooth"
      });
    }
  }

  function highlight(index) {
    if (index === current) {
      return;
    }
    if (current >= 0) {
      lines[current].classList.remove("is-current");
      lines[current].removeAttribute("aria-current");
    }
    current = index;
    if (index >= 0) {
      lines[index].classList.add("is-current");
      lines[index].setAttribute("aria-current", "true");
      keepInView(lines[index]);
    }
  }

  function seek(time, play) {
    function go() {
      player.currentTime = time;
      highlight(lineAt(time));
      if (play) {
        var playing = player.play();
        // A browser may refuse to start sound by itself: the player then waits at the moment, ready.
        if (playing && playing.catch) {
          playing.catch(function () {});
        }
      }
    }
    if (player.readyState >= 1) {
      go();
    } else {
      player.addEventListener("loadedmetadata", go, { once: true });
      player.load();
    }
  }

  function momentFromLocation() {
    var match = /(?:^|[?&#])t=(\d+(?:\.\d+)?)/.exec(window.location.search + window.location.hash);
    return match ? parseFloat(match[1]) : null;
  }

  function rememberMoment(time) {
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "?t=" + (Math.round(time * 10) / 10) + "#line-" + lineAt(time));
    }
  }

  transcript.addEventListener("click", function (event) {
    var line = event.target.closest(".transcript-line");
    if (!line) {
      return;
    }
    // Someone selecting words to copy is not asking to jump.
    if (event.target.closest(".moment") === null && String(window.getSelection()).length > 0) {
      return;
    }
    event.preventDefault();
    var time = parseFloat(line.getAttribute("data-start"));
    seek(time, true);
    rememberMoment(time);
  });

  player.addEventListener("timeupdate", function () { highlight(lineAt(player.currentTime)); });
  player.addEventListener("seeked", function () { highlight(lineAt(player.currentTime)); });

  function openMoment() {
    var time = momentFromLocation();
    if (time === null) {
      return;
    }
    seek(time, true);
    var index = lineAt(time);
    if (index >= 0) {
      lines[index].scrollIntoView({ block: "center", behavior: reducedMotion.matches ? "auto" : "smooth" });
    }
  }

  window.addEventListener("hashchange", openMoment);
  openMoment();
})();
