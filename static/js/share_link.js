// The story page's share control: a button that copies the story's link. Without JavaScript the link is still there
// to select and copy, and the email link works. Its words come from the page (includes/share_story.html sets them as
// data- attributes of the share row, in the reader's language).
(function () {
  "use strict";

  const row = document.querySelector("[data-share-row]");
  const link = document.querySelector("[data-share-link]");
  const status = document.querySelector("[data-share-status]");
  if (!row || !link || !status) {
    return;
  }

  link.addEventListener("focus", function () {
    link.select();
  });

  if (!navigator.clipboard) {
    return;
  }
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = row.dataset.copyLabel;
  row.appendChild(button);
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(link.value).then(
      function () {
        status.textContent = row.dataset.copiedMessage;
      },
      function () {
        link.focus();
        status.textContent = row.dataset.copyFailedMessage;
      },
    );
  });
})();
