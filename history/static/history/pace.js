// The pace page: draws today's and yesterday's curves from the page's JSON, then refreshes
// every minute from the same-origin pace.json. Text goes in with textContent only.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var W = 720, H = 180, PAD = 20;
  var root = document.getElementById("hm-pace");
  var chart = document.getElementById("hm-pace-chart");

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function points(intervals, key, top) {
    var step = (W - PAD) / Math.max(intervals.length - 1, 1);
    var out = [];
    intervals.forEach(function (iv, i) {
      if (iv[key] === null) return;
      out.push((PAD + i * step).toFixed(1) + "," + (H - PAD - (iv[key] / top) * (H - 2 * PAD)).toFixed(1));
    });
    return out.join(" ");
  }

  function draw(data) {
    var top = 1;
    data.intervals.forEach(function (iv) { top = Math.max(top, iv.yesterday, iv.today || 0); });
    while (chart.firstChild) chart.removeChild(chart.firstChild);
    chart.appendChild(el("line", {"class": "hm-grid", x1: PAD, x2: W, y1: H - PAD, y2: H - PAD}));
    var step = (W - PAD) / Math.max(data.intervals.length - 1, 1);
    data.intervals.forEach(function (iv, i) {
      if (iv.start.slice(3) === "00" && Number(iv.start.slice(0, 2)) % 3 === 0) {
        var label = el("text", {"class": "hm-axis", x: PAD + i * step, y: H - 4, "text-anchor": "middle"});
        label.textContent = iv.start;
        chart.appendChild(label);
      }
    });
    chart.appendChild(el("polyline", {"class": "hm-line-yesterday", points: points(data.intervals, "yesterday", top)}));
    chart.appendChild(el("polyline", {"class": "hm-line-today", points: points(data.intervals, "today", top)}));
    document.getElementById("hm-pace-percent").textContent = data.pace_percent === null ? "–" : data.pace_percent + "%";
    document.getElementById("hm-today").textContent = data.today.pageviews;
    document.getElementById("hm-same-time").textContent = data.yesterday.pageviews_same_time;
    document.getElementById("hm-projected").textContent = data.projected_pageviews;
    document.getElementById("hm-yesterday").textContent = data.yesterday.pageviews;
    root.setAttribute("data-updated", data.updated_at);
  }

  draw(JSON.parse(document.getElementById("hm-pace-data").textContent));
  setInterval(function () {
    fetch(root.getAttribute("data-url"), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) draw(data); })
      .catch(function () {});  // offline for a moment: the next minute tries again
  }, 60000);
})();
