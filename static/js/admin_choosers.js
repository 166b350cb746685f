// Wagtail's date, date-and-time and time pickers in the admin, started from data attributes: Wagtail's own widget
// templates start them with inline scripts, which the admin's Content-Security-Policy refuses (see the overriding
// templates in templates/wagtailadmin/widgets/). Widgets added to the page later (a refreshed listing) start too.
(function () {
  var starters = ["initDateChooser", "initDateTimeChooser", "initTimeChooser"];

  function start(marker) {
    var starter = window[marker.dataset.adminChooser];
    if (starters.indexOf(marker.dataset.adminChooser) === -1 || typeof starter !== "function") return;
    marker.removeAttribute("data-admin-chooser");
    starter(marker.dataset.inputId, JSON.parse(marker.dataset.config));
  }

  function startAll(root) {
    if (root.matches("[data-admin-chooser]")) start(root);
    root.querySelectorAll("[data-admin-chooser]").forEach(start);
  }

  function watch() {
    startAll(document.body);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === Node.ELEMENT_NODE) startAll(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
