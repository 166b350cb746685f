// Review screen. Selecting words in the story fills in the redaction form with exactly where they are: which text
// ([data-text][data-where]) and the character range inside it, counted in Unicode code points as the server counts
// them, so the words selected are the words removed however often they appear. A selection is trimmed of spaces and
// widened to whole words. Typing in the form instead clears the range; the server then accepts words that appear
// once in that place. Buttons with data-play-from play the recording (or the redacted preview) from a time.
// Loaded as a file: the admin's Content Security Policy allows no inline script.
(function () {
  "use strict";
  const WORD = /[\p{L}\p{M}\p{N}]/u;
  const SPACE = /\s/u;
  const form = document.querySelector("[data-redaction-form]");

  // Where a boundary point falls in the text of `element`, in code points.
  function position(element, node, offset) {
    const before = document.createRange();
    before.selectNodeContents(element);
    before.setEnd(node, offset);
    return Array.from(before.toString()).length;
  }

  // The part of `range` inside one text element, as [start, end) in code points, trimmed and widened to words.
  function wordsWithin(element, range) {
    const whole = document.createRange();
    whole.selectNodeContents(element);
    const chars = Array.from(element.textContent);
    let start = range.compareBoundaryPoints(Range.START_TO_START, whole) <= 0
      ? 0 : position(element, range.startContainer, range.startOffset);
    let end = range.compareBoundaryPoints(Range.END_TO_END, whole) >= 0
      ? chars.length : position(element, range.endContainer, range.endOffset);
    while (start < end && SPACE.test(chars[start])) start++;
    while (end > start && SPACE.test(chars[end - 1])) end--;
    if (start >= end) return null;
    while (start > 0 && WORD.test(chars[start - 1]) && WORD.test(chars[start])) start--;
    while (end < chars.length && WORD.test(chars[end]) && WORD.test(chars[end - 1])) end++;
    return { element: element, start: start, end: end, words: chars.slice(start, end).join("") };
  }

  function say(message) {
    const status = form.querySelector("[data-selection-status]");
    if (status) status.textContent = message;
  }

  function fillFromSelection() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const chosen = Array.from(document.querySelectorAll("[data-text]"))
      .filter(function (element) { return range.intersectsNode(element); })
      .map(function (element) { return wordsWithin(element, range); })
      .filter(Boolean);
    if (chosen.length === 0) return; // a selection elsewhere (in the form, say) leaves the form as it is
    if (chosen.length > 1) {
      say("Select words within one part of the story (one paragraph, line, title or name) at a time.");
      return;
    }
    const place = chosen[0];
    form.elements.where.value = place.element.dataset.where;
    form.elements.start.value = place.start;
    form.elements.end.value = place.end;
    form.elements.passage.value = place.words;
    const where = form.elements.where.selectedOptions[0];
    say("Selected “" + place.words + "” in " + (where ? where.textContent : "the story") + ".");
  }

  if (form) {
    document.addEventListener("selectionchange", fillFromSelection);
    // Words typed or a place chosen by hand are no longer the selection: the server looks the words up instead.
    function forgetRange() {
      form.elements.start.value = "";
      form.elements.end.value = "";
      say("");
    }
    form.elements.passage.addEventListener("input", forgetRange);
    form.elements.where.addEventListener("change", forgetRange);
  }

  document.querySelectorAll("[data-play-from]").forEach(function (button) {
    button.addEventListener("click", function () {
      const player = document.querySelector(button.dataset.player || "[data-review-player]");
      if (!player) return;
      player.currentTime = parseFloat(button.dataset.playFrom);
      player.play();
    });
  });
})();
