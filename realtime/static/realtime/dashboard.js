/* A tracker's live dashboard: renders `snapshot` frames ({type, seq, realtime, extras}; realtime
   is the /v1/realtime object) and the `delta` frames that follow them. Needs live.js and deltas.js. Visitor-supplied strings only ever become text. */
(function () {
  "use strict";

  var NM = window.NM;
  var root = document.getElementById("nm-live");
  var wall = root.classList.contains("nm-wall");
  var PAGES_SHOWN = wall ? 10 : 15;
  var MEDIA = { search: "search", social: "social", newsletter: "newsletter", referral: "referral", "(none)": "direct" };
  var expandedSources = {}; // "medium|source" -> true while its children are shown
  var latest = null; // the newest frame rendered

  function $(id) {
    return document.getElementById(id);
  }

  function sum(values) {
    return (values || []).reduce(function (a, b) {
      return a + (Number(b) || 0);
    }, 0);
  }

  function percent(count, total) {
    return total > 0 ? Math.round((count * 100) / total) : 0;
  }

  function mediumClass(medium) {
    return "nm-m-" + (MEDIA[medium] || "other");
  }

  function sourceLabel(row) {
    return row.medium === "(none)" ? "Direct" : row.source;
  }

  /** No one active and no hit in 30 minutes: no snapshots are built until the next hit. */
  function isQuiet(frame) {
    var series = frame.extras.series || {};
    return frame.realtime.total_realtime === 0 && sum(series.pageviews) === 0 && sum(series.events) === 0;
  }

  function showEmpty(id, empty) {
    $(id + "-empty").hidden = !empty;
    $(id).hidden = empty;
  }

  // --- headline numbers -----------------------------------------------------------------

  function renderHeadline(rt, extras) {
    var total = rt.total_realtime;
    NM.tweenNumber($("nm-total"), total);
    root.classList.toggle("nm-is-quiet", total === 0);
    $("nm-quiet").hidden = total !== 0;
    var minutes = Math.round((extras.live_window_secs || 300) / 60);
    $("nm-window").textContent = "on the site in the last " + minutes + " minute" + (minutes === 1 ? "" : "s");
    NM.setNumber($("nm-pv-today"), rt.total_pageviews_today);
    NM.setNumber($("nm-uv-today"), rt.total_unique_visitors_today);
    $("nm-install").hidden = extras.ever_hit !== false;
  }

  // --- sparkline --------------------------------------------------------------------------

  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (name) {
      node.setAttribute(name, String(attrs[name]));
    });
    return node;
  }

  function renderSpark(extras) {
    var series = extras.series || {};
    var users = (series.active_users || []).map(Number);
    var views = (series.pageviews || []).map(Number);
    var box = $("nm-spark");
    var width = 300;
    var height = 90;
    var n = Math.max(users.length, views.length, 1);
    var step = width / n;
    var maxUsers = Math.max.apply(null, users.concat([0]));
    var maxViews = Math.max.apply(null, views.concat([0]));
    var peakUsers = Math.max(maxUsers, 1); // each series is scaled to its own peak
    var peakViews = Math.max(maxViews, 1);
    while (box.firstChild) box.removeChild(box.firstChild);
    views.forEach(function (v, i) {
      var h = (v / peakViews) * (height - 8);
      box.appendChild(svg("rect", {
        class: "nm-bar", x: (i * step + step * 0.18).toFixed(1), y: (height - h).toFixed(1),
        width: (step * 0.64).toFixed(1), height: Math.max(h, v > 0 ? 1.5 : 0).toFixed(1), rx: 1.5,
      }));
    });
    var points = users.map(function (u, i) {
      return [(i + 0.5) * step, height - 4 - (u / peakUsers) * (height - 14)];
    });
    if (points.length) {
      var line = points.map(function (p, i) {
        return (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1);
      }).join(" ");
      var first = points[0];
      var last = points[points.length - 1];
      box.appendChild(svg("path", {
        class: "nm-area",
        d: line + " L" + last[0].toFixed(1) + " " + height + " L" + first[0].toFixed(1) + " " + height + " Z",
      }));
      box.appendChild(svg("path", { class: "nm-line", d: line, "vector-effect": "non-scaling-stroke" }));
      box.appendChild(svg("circle", { class: "nm-now-dot", cx: last[0].toFixed(1), cy: last[1].toFixed(1), r: 2.5 }));
    }
    box.setAttribute("aria-label", "Last 30 minutes: up to " + NM.fmt(maxUsers) + " active users and " +
      NM.fmt(maxViews) + " pageviews a minute");
    document.querySelector(".nm-key-users").textContent = "Active users · peak " + NM.fmt(maxUsers);
    document.querySelector(".nm-key-views").textContent = "Pageviews / min · peak " + NM.fmt(maxViews);
  }

  // --- devices ------------------------------------------------------------------------------

  var DEVICES = [["desktop", "Desktop"], ["mobile", "Mobile"], ["tablet", "Tablet"]];

  function renderDevices(extras) {
    var devices = extras.devices || {};
    var total = sum(DEVICES.map(function (d) { return devices[d[0]]; }));
    var bar = $("nm-devices-bar");
    var legend = $("nm-devices");
    if (!bar.children.length) {
      DEVICES.forEach(function (d) {
        bar.appendChild(NM.el("span", "nm-seg nm-dev-" + d[0]));
        var item = NM.el("li", "nm-dev-" + d[0]);
        item.appendChild(NM.el("span", "nm-swatch"));
        item.appendChild(NM.el("span", "nm-dev-name", d[1]));
        item.appendChild(NM.el("b", "nm-dev-count", "0"));
        item.appendChild(NM.el("span", "nm-dev-pct", ""));
        legend.appendChild(item);
      });
    }
    DEVICES.forEach(function (d, i) {
      var count = Number(devices[d[0]]) || 0;
      bar.children[i].style.width = (total ? (count * 100) / total : 0) + "%";
      NM.setNumber(legend.children[i].querySelector(".nm-dev-count"), count);
      legend.children[i].querySelector(".nm-dev-pct").textContent = total ? percent(count, total) + "%" : "";
    });
    bar.classList.toggle("nm-stack-empty", total === 0);
  }

  // --- top pages ------------------------------------------------------------------------------

  function pageLink(page) {
    var href = NM.httpUrl("https://" + page.host + page.url);
    // A path like "//elsewhere.example/" would move the link to another host.
    return href && new URL(href).hostname === String(page.host).toLowerCase() ? href : null;
  }

  function renderThumb(holder, page) {
    var src = NM.httpUrl(page.og_image);
    var img = holder.querySelector("img");
    if (!src) {
      if (img) holder.removeChild(img);
      holder.classList.add("nm-thumb-none");
      holder.setAttribute("data-initial", (page.title || page.url || "?").trim().charAt(0).toUpperCase());
      return;
    }
    if (img && img.getAttribute("src") === src) return;
    if (!img) {
      img = document.createElement("img");
      img.alt = "";
      img.loading = "lazy";
      img.decoding = "async";
      img.referrerPolicy = "no-referrer";
      img.addEventListener("error", function () {
        holder.classList.add("nm-thumb-none");
      });
      img.addEventListener("load", function () {
        holder.classList.remove("nm-thumb-none");
      });
      holder.appendChild(img);
    }
    holder.classList.remove("nm-thumb-none");
    holder.setAttribute("data-initial", (page.title || "?").trim().charAt(0).toUpperCase());
    img.src = src;
  }

  function renderSourceBar(bar, page) {
    while (bar.firstChild) bar.removeChild(bar.firstChild);
    (page.sources || []).forEach(function (row) {
      var seg = NM.el("span", "nm-seg " + mediumClass(row.medium));
      seg.style.width = percent(row.count, page.realtime_users) + "%";
      seg.title = sourceLabel(row) + " · " + NM.fmt(row.count) + " (" + percent(row.count, page.realtime_users) + "%)";
      bar.appendChild(seg);
    });
    var top = (page.sources || [])[0];
    bar.setAttribute("aria-label", top ? "Mostly from " + sourceLabel(top) : "No source");
  }

  function renderPage(node, page) {
    if (!node) {
      node = NM.el("li", "nm-page");
      node.appendChild(NM.el("div", "nm-thumb"));
      var main = NM.el("div", "nm-page-main");
      var title = NM.el("a", "nm-page-title");
      title.target = "_blank";
      title.rel = "noopener noreferrer";
      main.appendChild(title);
      var meta = NM.el("div", "nm-page-meta");
      meta.appendChild(NM.el("span", "nm-page-host"));
      meta.appendChild(NM.el("span", "nm-page-path"));
      meta.appendChild(NM.el("span", "nm-page-today"));
      main.appendChild(meta);
      main.appendChild(NM.el("div", "nm-srcbar"));
      node.appendChild(main);
      var users = NM.el("div", "nm-page-users");
      users.appendChild(NM.el("b", "nm-page-count"));
      node.appendChild(users);
    }
    renderThumb(node.querySelector(".nm-thumb"), page);
    var link = node.querySelector(".nm-page-title");
    link.textContent = page.title || page.url;
    var href = pageLink(page);
    if (href) link.href = href;
    else link.removeAttribute("href");
    node.querySelector(".nm-page-host").textContent = page.host;
    node.querySelector(".nm-page-path").textContent = page.url;
    node.querySelector(".nm-page-today").textContent = NM.fmt(page.pageviews_today) + " today";
    NM.setNumber(node.querySelector(".nm-page-count"), page.realtime_users);
    renderSourceBar(node.querySelector(".nm-srcbar"), page);
    return node;
  }

  function renderPages(rt) {
    var pages = (rt.top_pages || []).slice(0, PAGES_SHOWN);
    NM.renderList($("nm-pages"), pages, function (p) { return p.host + p.url; }, renderPage);
    showEmpty("nm-pages", pages.length === 0);
  }

  // --- sources, countries, cities ----------------------------------------------------------------

  function rowNode(tag, extraClass) {
    var node = NM.el(tag, "nm-row " + (extraClass || ""));
    node.appendChild(NM.el("span", "nm-row-fill"));
    node.appendChild(NM.el("span", "nm-row-label"));
    node.appendChild(NM.el("b", "nm-row-count"));
    node.appendChild(NM.el("span", "nm-row-pct"));
    return node;
  }

  /** A row with a proportional fill behind it: label, count, share. */
  function barRow(node, label, count, share, extraClass) {
    node = node || rowNode("li", extraClass);
    node.querySelector(".nm-row-label").textContent = label;
    NM.setNumber(node.querySelector(".nm-row-count"), count);
    node.querySelector(".nm-row-pct").textContent = share + "%";
    node.querySelector(".nm-row-fill").style.width = share + "%";
    return node;
  }

  /** A source row; its children (engines' hosts, campaigns, referring paths) open on click. */
  function renderSource(node, row, total) {
    var key = row.medium + "|" + row.source;
    var children = row.children || [];
    if (!node) {
      node = NM.el("li", "nm-source");
      var head = rowNode("button", "nm-source-head");
      head.type = "button";
      head.insertBefore(NM.el("span", "nm-caret"), head.querySelector(".nm-row-label"));
      head.insertBefore(NM.el("span", "nm-medium"), head.querySelector(".nm-row-count"));
      head.addEventListener("click", function () {
        expandedSources[key] = !expandedSources[key];
        node.classList.toggle("nm-open", expandedSources[key]);
        head.setAttribute("aria-expanded", String(expandedSources[key]));
      });
      node.appendChild(head);
      node.appendChild(NM.el("ul", "nm-rows nm-children"));
    }
    var button = node.querySelector(".nm-source-head");
    var open = !!expandedSources[key] && children.length > 0;
    barRow(button, sourceLabel(row), row.count, percent(row.count, total));
    button.disabled = children.length === 0;
    button.setAttribute("aria-expanded", String(open));
    node.classList.toggle("nm-open", open);
    var medium = node.querySelector(".nm-medium");
    medium.className = "nm-medium " + mediumClass(row.medium);
    medium.textContent = row.medium === "(none)" ? "direct" : row.medium;
    NM.renderList(node.querySelector(".nm-children"), children, function (c) { return c.label; }, function (n, child) {
      return barRow(n, child.label, child.count, percent(child.count, row.count), "nm-child");
    });
    return node;
  }

  function renderSources(rt) {
    var rows = rt.sources_top5 || [];
    NM.renderList($("nm-sources"), rows, function (r) { return r.medium + "|" + r.source; }, function (n, row) {
      return renderSource(n, row, rt.total_realtime);
    });
    showEmpty("nm-sources", rows.length === 0);
  }

  function renderPlaces(rt) {
    var total = rt.total_realtime;
    var countries = (rt.countries || []).slice(0, 8);
    NM.renderList($("nm-countries"), countries, function (c) { return c.code; }, function (n, c) {
      n = barRow(n, c.name, c.count, percent(c.count, total));
      var label = n.querySelector(".nm-row-label");
      label.setAttribute("data-code", /^[A-Z]{2}$/.test(c.code) && c.code !== "ZZ" ? c.code : "");
      return n;
    });
    showEmpty("nm-countries", countries.length === 0);
    var cities = (rt.cities || []).slice(0, 8);
    NM.renderList($("nm-cities"), cities, function (c) { return c.name; }, function (n, c) {
      return barRow(n, c.name, c.count, percent(c.count, total));
    });
    showEmpty("nm-cities", cities.length === 0);
  }

  // --- frames ------------------------------------------------------------------------------------

  /** A `snapshot` frame, or a `delta` frame applied to the last one; asks for a resync (the
   * server answers with a `snapshot`) when a delta does not build on what is shown. */
  function apply(frame) {
    if (frame && frame.type === "delta") {
      if (latest && frame.seq <= latest.seq) return; // already shown
      if (!latest || frame.base !== latest.seq) return { type: "resync" };
      frame = {
        type: "snapshot",
        seq: frame.seq,
        realtime: NM.applyPatch(latest.realtime, frame.realtime || {}),
        extras: NM.applyPatch(latest.extras, frame.extras || {}),
      };
    }
    if (!frame || frame.type !== "snapshot" || !frame.realtime || !frame.extras) return;
    var when = Date.parse(frame.realtime.updated_at);
    if (latest && when < Date.parse(latest.realtime.updated_at)) return; // an older frame arrived late
    latest = frame;
    root.setAttribute("data-seq", String(frame.seq));
    renderHeadline(frame.realtime, frame.extras);
    renderSpark(frame.extras);
    renderDevices(frame.extras);
    renderPages(frame.realtime);
    renderSources(frame.realtime);
    renderPlaces(frame.realtime);
  }

  NM.start(apply, function () {
    return latest
      ? { updatedAt: Date.parse(latest.realtime.updated_at), quiet: isQuiet(latest) }
      : { updatedAt: null, quiet: false };
  });

  var full = $("nm-fullscreen");
  if (full) {
    full.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (root.requestFullscreen) root.requestFullscreen();
    });
  }
})();
