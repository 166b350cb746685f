// Review screen: selecting words in a paragraph or transcript line fills in the redaction form, and clicking a
// transcript line plays the recording from there. The form works without this script.
(function () {
  const form = document.querySelector("[data-redaction-form]");
  const player = document.querySelector("[data-review-player]");
  if (!form) return;
  document.addEventListener("mouseup", function () {
    const selection = window.getSelection();
    const text = selection ? selection.toString().trim() : "";
    if (!text) return;
    const place = selection.anchorNode && selection.anchorNode.parentElement.closest("[data-where]");
    if (!place || !place.closest("[data-redactable]")) return;
    form.elements.where.value = place.dataset.where;
    form.elements.passage.value = text;
    // Which occurrence: count matches before the selection's start in this paragraph.
    const range = selection.getRangeAt(0).cloneRange();
    range.setStart(place, 0);
    const before = range.toString();
    const label = place.querySelector(".w-status");
    const offset = label ? label.textContent.length + 1 : 0;
    const preceding = place.textContent.slice(offset, Math.max(offset, before.length));
    form.elements.occurrence.value = preceding.split(text).length;
  });
  if (player) {
    document.querySelectorAll("[data-start]").forEach(function (line) {
      line.addEventListener("dblclick", function () {
        player.currentTime = parseFloat(line.dataset.start);
        player.play();
      });
    });
  }
})();
