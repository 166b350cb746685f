// The key card's "Print this card" button. Without JavaScript the page says how to print it with the browser's own
// Print command, so the button is shown only when it works.
(function () {
  "use strict";

  const button = document.querySelector("[data-print-card]");
  const hint = document.querySelector("[data-print-hint]");
  if (!button || typeof window.print !== "function") {
    return;
  }
  button.hidden = false;
  if (hint) {
    hint.hidden = true;
  }
  button.addEventListener("click", function () {
    window.print();
  });
})();
