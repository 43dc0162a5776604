/* NowMetrix tracker. No cookies, no identifiers. Early calls are replayed from the stub
   nowmetrix={q:[],event:function(){this.q.push(arguments)}} */
(function (w, d, n) {
  try {
    const sc = d.currentScript, site = sc && sc.getAttribute('data-site');
    const q = w.nowmetrix && w.nowmetrix.q, loc = w.location;
    w.nowmetrix = {event() {}}; // no site: a no-op, so host calls never throw
    if (!site) return;
    const url = new URL(sc.src).origin + '/collect';
    // DNT is reported; the server decides whether the tracker honours it.
    const dnt = n.doNotTrack == '1' || w.doNotTrack == '1' || n.globalPrivacyControl === true;
    // iPadOS sends a Mac UA; the page sees its touch screen
    const m = n.maxTouchPoints > 1 && /Mac/.test(n.platform) && 1;
    // Chromium's Android UA hides the model ("K"): the hints tell it, and phone or tablet.
    // Other Android browsers: Android's own rule, a tablet's smaller side is >= 600 px.
    const h = n.userAgentData, a = h && h.platform == 'Android', scr = w.screen,
      o = a ? (h.mobile ? '1' : '0')
        : !h && /Android/.test(n.userAgent) ? (Math.min(scr.width, scr.height) < 600 ? '1' : '0') : void 0;
    let k;
    const meta = (s) => (d.querySelector('meta[' + s + ']') || {}).content;

    const send = (e, x) => {
      try {
        const b = JSON.stringify(Object.assign({s: site, e, u: loc.href, t: d.title, d: dnt && 1, m, k, o}, x),
          (k, v) => v || void 0); // drop empty values
        // text/plain: no CORS preflight
        if (!(n.sendBeacon && n.sendBeacon(url, new Blob([b], {type: 'text/plain'})))) {
          fetch(url, {method: 'POST', body: b, keepalive: true, mode: 'no-cors', credentials: 'omit'})
            .catch(() => {});
        }
      } catch (x) {}
    };

    let prev, cur;
    const path = () => loc.pathname + loc.search;
    const pv = (r) => {
      let v;
      try { // keep only the date of the last visit
        v = localStorage.nm_last;
        localStorage.nm_last = new Date().toISOString().slice(0, 10);
      } catch (x) {}
      send('pv', {r, w: w.screen.width, v: v && 1, i: meta('property="og:image"'),
        a: meta('name="author"') || meta('property="article:author"'),
        p: meta('property="article:published_time"')});
      prev = loc.href;
      cur = path();
    };
    // SPA: a pageview when path or query changed
    const nav = () => { if (cur && path() != cur) pv(prev); }; // none before the first pageview
    const push = history.pushState;
    history.pushState = function () {
      const r = push.apply(this, arguments);
      nav();
      return r;
    };
    w.addEventListener('popstate', nav);
    setInterval(() => d.visibilityState == 'visible' && send('hb'),
      Math.max(+sc.getAttribute('data-heartbeat') || 15, 1) * 1e3);
    w.addEventListener('pagehide', () => send('lv'));
    // back from the back-forward cache after a leave: the reader is here again
    w.addEventListener('pageshow', (e) => e.persisted && pv(d.referrer));

    const ev = (c, x, l) => send('ev', {c, x, l});
    // host calls made while the first pageview waits are replayed after it, in order
    const early = q ? [].slice.call(q) : [];
    w.nowmetrix = {event() { early.push(arguments); }};
    let go = () => {
      go = () => {};
      pv(d.referrer);
      w.nowmetrix = {event: ev};
      early.forEach((x) => ev.apply(null, x));
    };
    // the first pageview waits for the model (async) at most 300 ms
    if (a && h.getHighEntropyValues) {
      h.getHighEntropyValues(['model']).then((v) => { k = v.model; }, () => {}).then(() => go());
      setTimeout(() => go(), 300);
    } else go();
  } catch (x) {}
})(window, document, navigator);
