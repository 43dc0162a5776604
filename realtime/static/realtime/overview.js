/* The account-wide live overview: renders `summary` frames ({type, summary}) into the card of
   their tracker. Needs live.js. Visitor-supplied strings only ever become text. */
(function () {
  "use strict";

  var NM = window.NM;
  var cards = {};
  var updated = {}; // site -> updated_at (ms) of the summary shown
  Array.prototype.forEach.call(document.querySelectorAll(".nm-ov-card"), function (card) {
    cards[card.getAttribute("data-site")] = card;
  });

  function field(card, name) {
    return card.querySelector('[data-field="' + name + '"]');
  }

  function apply(frame) {
    if (!frame || frame.type !== "summary" || !frame.summary) return;
    var s = frame.summary;
    var card = cards[s.site];
    var when = Date.parse(s.updated_at);
    if (!card || (updated[s.site] && when < updated[s.site])) return;
    updated[s.site] = when;
    NM.setNumber(field(card, "total_realtime"), s.total_realtime);
    NM.setNumber(field(card, "total_pageviews_today"), s.total_pageviews_today);
    card.classList.toggle("nm-is-quiet", s.total_realtime === 0);
    var title = field(card, "top_title");
    var users = field(card, "top_users");
    var top = s.top_page;
    var text = top ? top.title || top.url : "No one is here right now";
    if (title.textContent !== text) {
      title.textContent = text;
      title.title = top ? top.host + top.url : "";
    }
    users.textContent = top ? NM.fmt(top.realtime_users) + " active" : "";
    title.classList.toggle("nm-muted", !top);
  }

  NM.start(apply, function () {
    var times = Object.keys(updated).map(function (site) { return updated[site]; });
    // Quiet trackers get no summaries until their next hit: freshness is the newest one's.
    return { updatedAt: times.length ? Math.max.apply(null, times) : null, quiet: true };
  });
})();
