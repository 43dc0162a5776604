/* NowMetrix live pages: the WebSocket with reconnection, the connection/freshness status, and
   DOM helpers. Plain JavaScript, no build step.

   Everything that comes from a tracked site's visitors (titles, URLs, image URLs, referrers,
   places) is written with textContent or validated attributes, never as HTML. */
(function () {
  "use strict";

  var NM = (window.NM = window.NM || {});
  var numberFormat = new Intl.NumberFormat();

  NM.CLOSE_LOGGED_OUT = 4401;
  NM.CLOSE_FORBIDDEN = 4403;
  NM.CLOSE_UNAVAILABLE = 4503; // the server cannot reach its live state (Redis): retry with backoff
  var RETRY_FIRST_MS = 1000;
  var RETRY_MAX_MS = 30000;
  var RECOVERED_AFTER_MS = 1000;

  // --- DOM helpers ------------------------------------------------------------------

  NM.el = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  NM.fmt = function (n) {
    return numberFormat.format(Number(n) || 0);
  };

  /** The URL as a string if it is absolute http(s), else null (javascript:, data:, junk). */
  NM.httpUrl = function (value, base) {
    if (typeof value !== "string" || !value) return null;
    try {
      var url = base ? new URL(value, base) : new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  };

  /** Replay a short highlight on an element whose value changed. */
  NM.flash = function (node, className) {
    className = className || "nm-flash";
    node.classList.remove(className);
    void node.offsetWidth; // restart the CSS animation
    node.classList.add(className);
  };

  /** Set a number as text; highlight it when it changed (not on first render). */
  NM.setNumber = function (node, value) {
    var text = NM.fmt(value);
    if (node.textContent === text) return;
    var first = !node.hasAttribute("data-value");
    var previous = Number(node.getAttribute("data-value"));
    node.setAttribute("data-value", String(Number(value) || 0));
    node.textContent = text;
    if (!first) {
      node.classList.toggle("nm-down", Number(value) < previous);
      NM.flash(node);
    }
  };

  /** Count up or down to `value` over a short time (the big numbers). */
  NM.tweenNumber = function (node, value) {
    value = Number(value) || 0;
    var from = Number(node.getAttribute("data-value"));
    var first = !node.hasAttribute("data-value");
    node.setAttribute("data-value", String(value));
    if (first || from === value || document.hidden) {
      node.textContent = NM.fmt(value);
      if (!first && from !== value) NM.flash(node);
      return;
    }
    node.classList.toggle("nm-down", value < from);
    NM.flash(node);
    var start = null;
    var step = function (t) {
      if (node.getAttribute("data-value") !== String(value)) return; // a newer value took over
      if (start === null) start = t;
      var k = Math.min(1, (t - start) / 600);
      var eased = 1 - Math.pow(1 - k, 3);
      node.textContent = NM.fmt(Math.round(from + (value - from) * eased));
      if (k < 1) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  };

  /** Reuse keyed child nodes: `render(existingOrNull, item)` returns the node of each item. */
  NM.renderList = function (list, items, keyOf, render) {
    var old = {};
    Array.prototype.forEach.call(list.children, function (node) {
      old[node.getAttribute("data-key")] = node;
    });
    items.forEach(function (item, i) {
      var key = keyOf(item);
      var node = render(old[key] || null, item);
      node.setAttribute("data-key", key);
      delete old[key];
      if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
    });
    Object.keys(old).forEach(function (key) {
      list.removeChild(old[key]);
    });
  };

  NM.readJson = function (id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  };

  // --- time ---------------------------------------------------------------------------

  /** Milliseconds to add to Date.now() to get the server's clock (measured at page load). */
  NM.clockOffset = function (root) {
    var serverNow = Number(root.getAttribute("data-server-now"));
    return serverNow ? serverNow - Date.now() : 0;
  };

  NM.ago = function (secs) {
    secs = Math.max(0, Math.round(secs));
    if (secs < 60) return secs + " s ago";
    if (secs < 3600) return Math.floor(secs / 60) + " min ago";
    return Math.floor(secs / 3600) + " h ago";
  };

  NM.clockTime = function (ms) {
    return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  };

  // --- the socket -----------------------------------------------------------------------

  /**
   * A WebSocket to `path` on this origin that reconnects with exponential backoff (with
   * jitter) after any drop, except when the server ends the session (4401) or the access
   * (4403). `onFrame(obj)` gets each parsed frame and may return a message to send back (a
   * resync request), `onState(state, detail)` the connection
   * state: "connecting", "live", "reconnecting" or "unavailable" (detail: {attempt, delayMs};
   * "unavailable" after a 4503, while the server cannot reach its live state), "logged-out",
   * "forbidden".
   */
  NM.LiveSocket = function (path, onFrame, onState) {
    var socket = null;
    var attempt = 0;
    var timer = null;
    var ended = false;
    var unavailable = false; // the last close was a 4503: keep showing the numbers as stale
    var attemptBeforeOpen = 0;
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;

    function connect() {
      clearTimeout(timer);
      timer = null;
      if (!unavailable) onState(attempt ? "reconnecting" : "connecting", { attempt: attempt, delayMs: 0 });
      socket = new WebSocket(url);
      socket.onopen = function () {
        // A refusal (4503) opens and closes at once: keep the backoff growing across those.
        attemptBeforeOpen = attempt;
        attempt = 0;
        if (!unavailable) {
          onState("live", {});
          return;
        }
        // After a 4503 the server closes at once if it still cannot reach its live state; a
        // socket still open a moment later (or a first frame) means the outage is over.
        var opened = socket;
        setTimeout(function () {
          if (socket === opened && unavailable) {
            unavailable = false;
            onState("live", {});
          }
        }, RECOVERED_AFTER_MS);
      };
      socket.onmessage = function (event) {
        var frame;
        try {
          frame = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        if (unavailable) {
          unavailable = false;
          onState("live", {});
        }
        var reply = onFrame(frame);
        if (reply && socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(reply));
      };
      socket.onclose = function (event) {
        socket = null;
        if (event.code === NM.CLOSE_LOGGED_OUT || event.code === NM.CLOSE_FORBIDDEN) {
          ended = true;
          onState(event.code === NM.CLOSE_LOGGED_OUT ? "logged-out" : "forbidden", {});
          return;
        }
        if (event.code === NM.CLOSE_UNAVAILABLE) {
          unavailable = true;
          attempt = Math.max(attempt, attemptBeforeOpen);
        } else if (unavailable && attempt === 0) {
          unavailable = false; // it opened and then dropped for another reason
        }
        retry();
      };
    }

    function retry() {
      if (ended || timer) return;
      attempt += 1;
      var base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, attempt - 1));
      var delayMs = Math.round(base * (0.75 + Math.random() * 0.5));
      onState(unavailable ? "unavailable" : "reconnecting", { attempt: attempt, delayMs: delayMs });
      timer = setTimeout(connect, delayMs);
    }

    function retryNow() {
      if (!ended && !socket) connect();
    }

    // Back online, or back to a hidden tab: do not wait for the backoff.
    window.addEventListener("online", retryNow);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) retryNow();
    });
    connect();
  };

  // --- status line and banner --------------------------------------------------------------

  var LATE_SECS = 10; // snapshots are built every second while a tracker has traffic
  var STOPPED_SECS = 30;

  /**
   * The "Live · updated 1 s ago" line and the banner that says plainly when updates stopped.
   * `latest()` returns {updatedAt: ms or null, quiet: bool}: a quiet tracker (nobody active
   * and no hit in 30 minutes) gets no new snapshots until its next hit, which is not a fault.
   */
  NM.Status = function (root, latest) {
    var box = document.getElementById("nm-status");
    var stateText = document.getElementById("nm-state");
    var fresh = document.getElementById("nm-fresh");
    var banner = document.getElementById("nm-banner");
    var offset = NM.clockOffset(root);
    var state = "connecting";
    var detail = {};
    var since = Date.now(); // when the current state began (the retry countdown)
    var downSince = null; // when the connection was last lost

    function showBanner(text, kind) {
      banner.hidden = !text;
      banner.className = "nm-banner" + (kind ? " nm-banner-" + kind : "");
      if (banner.getAttribute("data-text") === (text || "")) return; // keep a link the reader may be clicking
      banner.setAttribute("data-text", text || "");
      banner.textContent = text || "";
      if (state === "logged-out") {
        var login = NM.el("a", null, "Log in");
        login.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
        banner.appendChild(document.createTextNode(" "));
        banner.appendChild(login);
      }
    }

    function render() {
      var info = latest();
      var age = info.updatedAt === null ? null : (Date.now() + offset - info.updatedAt) / 1000;
      var label = {
        connecting: "Connecting…",
        live: "Live",
        reconnecting: "Reconnecting…",
        unavailable: "Stale",
        "logged-out": "Signed out",
        forbidden: "No access",
      }[state];
      var wait = detail.delayMs ? Math.max(0, Math.ceil((since + detail.delayMs - Date.now()) / 1000)) : 0;
      if (state === "reconnecting" && detail.delayMs) {
        label = wait ? "Reconnecting in " + wait + " s…" : "Reconnecting…";
      }
      var look = state === "unavailable" ? "stale" : state;
      var text = age === null ? "waiting for data" : "updated " + NM.ago(age);
      var message = null;
      var kind = null;
      if (state === "logged-out") {
        message = "Your session has ended.";
        kind = "error";
      } else if (state === "forbidden") {
        message = "You no longer have access to this page.";
        kind = "error";
      } else if (state === "unavailable") {
        message = "Live updates are paused: the server cannot reach its live data. The numbers below are from " +
          (info.updatedAt ? NM.clockTime(info.updatedAt - offset) : "before") + " and may be out of date. " +
          (wait ? "Retrying in " + wait + " s." : "Retrying…");
        kind = "error";
        text = age === null ? "no live data" : "last updated " + NM.ago(age);
      } else if (state === "reconnecting" && downSince !== null && Date.now() - downSince > 3000) {
        message = "The connection dropped. Reconnecting; the numbers below are from " +
          (info.updatedAt ? NM.clockTime(info.updatedAt - offset) : "before") + ".";
        kind = "warn";
      } else if (state === "live" && age !== null && !info.quiet) {
        if (age > STOPPED_SECS) {
          message = "Updates have stopped. The numbers below are from " + NM.clockTime(info.updatedAt - offset) +
            " and may be out of date.";
          kind = "error";
          look = "stopped";
          text = "no update for " + NM.ago(age).replace(" ago", "");
        } else if (age > LATE_SECS) {
          look = "late";
          text += " · updates are late";
        }
      } else if (state === "live" && info.quiet && age !== null && age > LATE_SECS) {
        text += " · quiet, nothing new";
      }
      box.setAttribute("data-state", look);
      stateText.textContent = label;
      fresh.textContent = text;
      showBanner(message, kind);
    }

    setInterval(render, 1000);
    render();
    return {
      set: function (newState, newDetail) {
        if (newState === "live") downSince = null;
        else if (state === "live" || (downSince === null && newState === "reconnecting")) downSince = Date.now();
        state = newState;
        detail = newDetail || {};
        since = Date.now();
        render();
      },
      render: render,
    };
  };

  /** Wire a live page: initial frames from the page, then the socket; `apply(frame)` renders,
   * and may return a message for the server. */
  NM.start = function (apply, latest) {
    var root = document.getElementById("nm-live");
    var status = NM.Status(root, latest);
    var initial = NM.readJson("nm-initial");
    (Array.isArray(initial) ? initial : initial ? [initial] : []).forEach(apply);
    status.render();
    NM.LiveSocket(
      root.getAttribute("data-ws-path"),
      function (frame) {
        var reply = apply(frame);
        status.render();
        return reply;
      },
      status.set
    );
    return root;
  };
})();
