// Transcript review: "Play this line" buttons start the player at the line's time. Without JavaScript the page
// still works; the buttons stay hidden.
(function () {
  var player = document.getElementById("review-player");
  if (!player) return;
  document.querySelectorAll(".play-from").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      player.currentTime = parseFloat(button.dataset.start);
      player.play();
    });
  });
})();
