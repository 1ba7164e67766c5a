/*
 * The video review page (templates/evidence/video_review.html). Without this file each
 * moment is a link that reloads the page with the video starting there; with it:
 *
 *   a[data-seek="102"]           jump the video to 102 s in place, play it, move the focus to
 *                                the video and say where it is (the live region #video-status).
 *   button[data-use-moment="id"] write the video's current moment ("01:42") into the field
 *                                with that id; hidden until this file shows it.
 */
(function () {
  "use strict";

  function formatMoment(seconds) {
    var total = Math.max(0, Math.floor(seconds));
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var secs = total % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return (hours ? hours + ":" + pad(minutes) : pad(minutes)) + ":" + pad(secs);
  }

  function announce(video, template, moment) {
    var status = document.getElementById("video-status");
    if (!status || !template) return;
    // Emptied first, so that the same words said twice are read twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = template.replace("%(moment)s", moment);
    }, 50);
  }

  function seek(video, seconds) {
    video.currentTime = seconds;
    video.focus();
    var playing = video.play();
    if (playing && typeof playing.catch === "function") {
      playing.catch(function () { /* autoplay refused: the video waits at the moment */ });
    }
    announce(video, video.dataset.announce, formatMoment(seconds));
  }

  function ready() {
    var video = document.getElementById("review-video");
    if (!video) return;

    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-seek]");
      if (!link) return;
      var seconds = parseInt(link.dataset.seek, 10);
      if (isNaN(seconds)) return;
      event.preventDefault();
      video.scrollIntoView({ block: "nearest" });
      seek(video, seconds);
    });

    document.querySelectorAll("button[data-use-moment]").forEach(function (button) {
      var field = document.getElementById(button.dataset.useMoment);
      if (!field) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var moment = formatMoment(video.currentTime || 0);
        field.value = moment;
        field.focus();
        announce(video, video.dataset.announceSet, moment);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
