// BikeBot web chat: no framework, no build step, no requests to anywhere but this server.
'use strict';

(function () {
  const KEY = 'bikebot.conversationId';
  const SVG = 'http://www.w3.org/2000/svg';
  const log = document.getElementById('log');
  const form = document.getElementById('ask');
  const input = document.getElementById('question');
  const send = document.getElementById('send');
  const locate = document.getElementById('locate');
  const status = document.getElementById('status');
  let busy = false;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') node.textContent = v;
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children || []) if (c) node.append(c);
    return node;
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function conversationId() {
    try { return sessionStorage.getItem(KEY) || undefined; } catch { return undefined; }
  }
  function rememberConversation(id) {
    try { sessionStorage.setItem(KEY, id); } catch { /* private mode: the conversation just restarts */ }
  }

  // Alerts: one long-lived random token per browser (localStorage), sent with every
  // question; alerts set from this page arrive on a server-sent event stream while it is open.
  const DEVICE_KEY = 'bikebot.deviceToken';
  let alertStream = null;
  function deviceToken(create) {
    try {
      let t = localStorage.getItem(DEVICE_KEY);
      if (!t && create) {
        const bytes = crypto.getRandomValues(new Uint8Array(16));
        t = btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        localStorage.setItem(DEVICE_KEY, t);
      }
      return t || undefined;
    } catch { return undefined; }
  }
  function listenForAlerts() {
    const t = deviceToken(false);
    if (!t || alertStream || typeof EventSource === 'undefined') return;
    alertStream = new EventSource('/api/alerts/stream?device=' + encodeURIComponent(t));
    alertStream.addEventListener('alert', (e) => {
      let a;
      try { a = JSON.parse(e.data); } catch { return; }
      log.append(el('div', { class: 'msg bot alert', 'data-alert': a.deliveryId }, [el('p', { text: a.text })]));
      scrollDown();
    });
  }

  // Rounded as the reply rounds them, so the card and the sentence above it agree
  // ("10 m away" for a dock right at the place, never "0 m").
  function distanceText(m) {
    if (m === null || m === undefined) return null;
    if (m < 1000) return Math.max(10, Math.round(m / 10) * 10) + ' m away';
    if (m < 10000) return (m / 1000).toFixed(1) + ' km away';
    return Math.round(m / 1000) + ' km away';
  }
  // As src/domain/geo.ts#walkingMinutes: streets are about 1.3 times the straight line, at 80 m a minute.
  function walkText(m) {
    if (m === null || m === undefined || m > 5000) return null;
    return Math.max(1, Math.round((m * 1.3) / 80)) + ' min walk';
  }

  // One clock: times are shown in the zone of the counts' system, as the reply says them,
  // and the zone is named when it is not the browser's own.
  const BROWSER_TZ = (function () { try { return Intl.DateTimeFormat().resolvedOptions().timeZone; } catch { return 'UTC'; } })();
  function zoneName(tz) { return tz.split('/').pop().replace(/_/g, ' ') + ' time'; }
  function clockText(iso, tz) {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return null;
    const zone = tz || BROWSER_TZ;
    let text;
    try {
      const day = (d) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'short' }).format(d);
      text = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
      if (day(t) !== day(Date.now())) text += ' on ' + day(t);
    } catch { return null; }
    return zone === BROWSER_TZ ? text : text + ' ' + zoneName(zone);
  }
  function ageText(iso, tz) {
    if (!iso) return null;
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return null;
    const s = Math.round((Date.now() - t) / 1000);
    const at = 'counts from ' + clockText(iso, tz);
    if (s < 0 || s < 90) return at + ', just now';
    if (s < 90 * 60) return at + ', ' + Math.round(s / 60) + ' min ago';
    if (s < 36 * 3600) return at + ', ' + Math.round(s / 3600) + ' h ago';
    return at;
  }

  function count(label, value, cls) {
    const known = value !== null && value !== undefined;
    return el('div', { class: [cls, known && value === 0 ? 'zero' : null].filter(Boolean).join(' ') || undefined }, [
      el('dt', { text: label }),
      el('dd', { text: known ? String(value) : 'unknown', class: known ? undefined : 'unknown', title: known ? undefined : 'not published by the operator' }),
    ]);
  }

  // Classic bikes and e-bikes apart, never one inside the other; a feed that gives no
  // split shows its bike count as bikes and the e-bikes as unknown.
  function bikeCounts(s) {
    if (s.ebikes === null || s.ebikes === undefined) return [count('bikes', s.bikes, 'bikes'), count('e-bikes', null, 'ebikes')];
    const classic = s.standardBikes !== null && s.standardBikes !== undefined ? s.standardBikes : s.bikes !== null && s.bikes !== undefined ? Math.max(0, s.bikes - s.ebikes) : null;
    return [count('classic bikes', classic, 'classic'), count('e-bikes', s.ebikes, 'ebikes')];
  }

  const PHONE = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
  // A phone opens its own maps app on a geo: URI; elsewhere OpenStreetMap gives walking directions.
  function walkLink(s, from) {
    if (typeof s.lat !== 'number' || typeof s.lon !== 'number') return null;
    const to = s.lat.toFixed(6) + ',' + s.lon.toFixed(6);
    const href = PHONE
      ? 'geo:' + to + '?q=' + to + '(' + encodeURIComponent(s.name) + ')'
      : 'https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=' + (from ? from.lat.toFixed(6) + ',' + from.lon.toFixed(6) : '') + ';' + to;
    return el('a', { class: 'walk', href, rel: 'noopener', target: PHONE ? undefined : '_blank', text: 'Walk there', 'aria-label': 'Walk there: to ' + s.name + (PHONE ? ' (opens your maps app)' : ' (opens OpenStreetMap)') });
  }

  function stationCard(s, i, answer, from) {
    const meta = [distanceText(s.distanceM), walkText(s.distanceM), ageText(s.asOf, answer.timeZone)].filter(Boolean).join(' · ');
    return el('li', { class: 'card' }, [
      el('h2', {}, [el('span', { class: 'num', 'aria-hidden': 'true', text: String(i + 1) }), el('span', { text: s.name })]),
      el('dl', { class: 'counts' }, bikeCounts(s).concat([count('spaces', s.emptyDocks, 'spaces')])),
      meta ? el('p', { class: 'meta' + (answer.stale ? ' stale' : ''), text: meta + (answer.stale ? ' · may be out of date' : '') }) : null,
      walkLink(s, from),
    ]);
  }

  // The count each marker shows: what the person asked about.
  function markerCount(s, want) {
    const v = want === 'docks' ? s.emptyDocks : want === 'ebikes' && s.ebikes !== null && s.ebikes !== undefined ? s.ebikes : s.bikes;
    return v === null || v === undefined ? '?' : String(v);
  }
  function markerNoun(want) { return want === 'docks' ? 'spaces' : want === 'ebikes' ? 'e-bikes' : 'bikes'; }
  function mapLabel(stations, place, want) {
    return 'Map: ' + stations.map((s) => s.name + ', ' + markerCount(s, want) + ' ' + markerNoun(want)).join('; ') + (place ? '; around ' + place.name : '');
  }

  // The offline drawing: equirectangular with the latitude's cosine, which at city scale
  // is as good as any projection. Used when no tiles are configured or none load.
  function drawMap(stations, place, you, want) {
    const pts = stations.filter((s) => typeof s.lat === 'number' && typeof s.lon === 'number');
    const extra = [place, you].filter((p) => p && typeof p.lat === 'number');
    if (pts.length < 1) return null;
    const all = pts.concat(extra);
    const lat0 = all.reduce((a, p) => a + p.lat, 0) / all.length;
    const k = Math.cos((lat0 * Math.PI) / 180);
    const xs = all.map((p) => p.lon * k), ys = all.map((p) => -p.lat);
    const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
    const W = 320, H = 200, pad = 24;
    // Fill the frame: the scale that fits both spans, floored so one dock is not a full-screen zoom.
    const scale = Math.min((W - 2 * pad) / Math.max(maxX - minX, 0.0005), (H - 2 * pad) / Math.max(maxY - minY, 0.0005));
    const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    const px = (p) => [W / 2 + (p.lon * k - cx) * scale, H / 2 + (-p.lat - cy) * scale];
    const root = svg('svg', { class: 'map drawing', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': mapLabel(pts, place, want) });
    const bar = (200 / 111_320) * scale;
    root.append(svg('line', { class: 'scale', x1: 10, y1: H - 10, x2: 10 + bar, y2: H - 10 }), svg('text', { class: 'scale-label', x: 14 + bar, y: H - 7 }, '200 m'));
    if (you) {
      const [x, y] = px(you);
      const g = svg('g', { class: 'you-marker' });
      g.append(svg('title', {}, 'You are here'), svg('circle', { class: 'you-halo', cx: x, cy: y, r: 16 }), svg('circle', { class: 'you', cx: x, cy: y, r: 5 }));
      root.append(g);
    }
    if (place && !you && typeof place.lat === 'number') {
      const [x, y] = px(place);
      const g = svg('g', {});
      g.append(svg('title', {}, place.name), svg('path', { class: 'place', d: `M${x} ${y - 13}L${x + 12} ${y}L${x} ${y + 13}L${x - 12} ${y}Z` }));
      root.append(g);
    }
    // Drawn last-first, so the first station — the one chosen or nearest — is on top.
    pts.map((s, i) => [s, i]).reverse().forEach(([s, i]) => {
      const [x, y] = px(s);
      const g = svg('g', { class: 'st-marker' + (i === 0 ? ' chosen' : '') });
      g.append(svg('title', {}, s.name + ': ' + markerCount(s, want) + ' ' + markerNoun(want)), svg('circle', { class: 'st', cx: x, cy: y, r: i === 0 ? 13 : 11 }), svg('text', { class: 'st-label', x, y }, markerCount(s, want)));
      root.append(g);
    });
    return root;
  }

  // The slippy map (Leaflet, served by this server) over the configured tiles; if the
  // tiles cannot be reached it gives way to the drawing, so the page works offline.
  function slippyMap(holder, stations, place, you, want) {
    const pts = stations.filter((s) => typeof s.lat === 'number' && typeof s.lon === 'number');
    const fallback = () => {
      const d = drawMap(stations, place, you, want);
      holder.replaceChildren(...(d ? [d] : []));
      holder.className = 'map-holder';
    };
    if (!window.L || !webConfig.tiles || pts.length === 0 || navigator.onLine === false) return fallback();
    const L = window.L;
    const box = el('div', { class: 'map slippy', role: 'region', 'aria-label': mapLabel(pts, place, want) });
    holder.replaceChildren(box);
    const map = L.map(box, { zoomControl: true, attributionControl: true, keyboard: false, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    let loaded = false;
    const layer = L.tileLayer(webConfig.tiles, { maxZoom: 19, attribution: webConfig.attribution });
    layer.on('tileload', () => { loaded = true; holder.dataset.tiles = 'loaded'; });
    layer.on('tileerror', () => { if (!loaded) { map.remove(); fallback(); } });
    layer.addTo(map);
    const bounds = L.latLngBounds(pts.map((s) => [s.lat, s.lon]));
    if (you) {
      bounds.extend([you.lat, you.lon]);
      L.marker([you.lat, you.lon], { icon: L.divIcon({ className: 'you-marker', html: '', iconSize: [18, 18] }), interactive: false, keyboard: false, title: 'You are here', alt: 'You are here' }).addTo(map);
    } else if (place && typeof place.lat === 'number') {
      bounds.extend([place.lat, place.lon]);
      L.marker([place.lat, place.lon], { icon: L.divIcon({ className: 'place-marker', html: '', iconSize: [18, 18] }), interactive: false, keyboard: false }).addTo(map);
    }
    pts.forEach((s, i) => {
      const icon = L.divIcon({ className: 'st-marker' + (i === 0 ? ' chosen' : ''), html: '<span>' + markerCount(s, want) + '</span>', iconSize: i === 0 ? [36, 36] : [30, 30] });
      // The first station (chosen, or nearest) stays on top of its neighbours.
      L.marker([s.lat, s.lon], { icon, interactive: false, keyboard: false, zIndexOffset: i === 0 ? 1000 : -i }).addTo(map);
    });
    map.fitBounds(bounds, { padding: [28, 28], maxZoom: 17 });
    holder.className = 'map-holder live';
  }
  let webConfig = { tiles: null, attribution: '' };
  const configReady = fetch('/web-config.json').then((r) => (r.ok ? r.json() : null)).then((c) => { if (c) webConfig = c; }).catch(() => {});

  function addUser(text) {
    log.append(el('div', { class: 'msg user' }, [el('span', { class: 'visually-hidden', text: 'You: ' }), el('p', { text })]));
    scrollDown();
  }

  // Buttons and cards below show the options and stations; the same numbered list
  // written into the reply would say everything twice. A numbered line is that list,
  // in the same order, whether it names them in full or, shortened to fit a text
  // message, in part.
  function replyText(answer) {
    const shown = (answer.options && answer.options.length ? answer.options : answer.stations) || [];
    if (!shown.length) return answer.reply;
    const lines = answer.reply.split('\n');
    const kept = lines.filter((line) => {
      const m = /^\s*(\d+)[.)]\s/.exec(line);
      return !(m && Number(m[1]) >= 1 && Number(m[1]) <= shown.length);
    });
    return kept.length > 0 && kept.length < lines.length ? kept.join('\n') : answer.reply;
  }

  function addBot(answer, you) {
    const children = [el('span', { class: 'visually-hidden', text: 'BikeBot: ' }), el('p', { text: replyText(answer) })];
    let holder = null;
    if (answer.stations && answer.stations.length) {
      // Walking directions start from where you are, else from the place asked about.
      const from = you || answer.place || null;
      children.push(el('ol', { class: 'cards', 'aria-label': 'Stations' }, answer.stations.map((s, i) => stationCard(s, i, answer, from))));
      holder = el('div', { class: 'map-holder' });
      children.push(holder);
    } else if (answer.stale && answer.dataAsOf) {
      children.push(el('p', { class: 'meta stale', text: 'Data ' + ageText(answer.dataAsOf, answer.timeZone) + ', may be out of date' }));
    }
    if (answer.options && answer.options.length) {
      const group = el('div', { class: 'options', role: 'group', 'aria-label': 'Choose one' });
      answer.options.forEach((o, i) => {
        const b = el('button', { type: 'button', class: 'option', 'data-option': String(i + 1), text: (i + 1) + '. ' + o.name + (o.detail ? ' — ' + o.detail : '') });
        b.addEventListener('click', () => {
          for (const other of group.querySelectorAll('button')) other.disabled = true;
          ask(String(i + 1), { shown: o.name });
        });
        group.append(b);
      });
      children.push(group);
    }
    log.append(el('div', { class: 'msg bot' }, children));
    // The map is drawn once its box is in the page, so Leaflet can measure it.
    if (holder) slippyMap(holder, answer.stations, answer.place, you, answer.want);
    scrollDown();
  }

  function addError(text) {
    log.append(el('div', { class: 'msg bot error' }, [el('p', { text })]));
    scrollDown();
  }

  // A reply is read from its first line, so that is what comes into view; the sticky
  // question box is kept clear by scroll-padding in the stylesheet.
  function scrollDown() {
    const last = log.lastElementChild;
    if (last && last.scrollIntoView) last.scrollIntoView({ block: last.classList.contains('user') ? 'nearest' : 'start' });
  }

  function setBusy(b) {
    busy = b;
    send.disabled = b;
    locate.disabled = b;
    log.setAttribute('aria-busy', b ? 'true' : 'false');
    status.textContent = b ? 'BikeBot is looking…' : '';
  }

  /** Seconds from a Retry-After header (seconds or an HTTP date), kept within 1–30; 2 when absent or unreadable. */
  function retryAfterSeconds(header) {
    const v = (header || '').trim();
    let s = /^\d+$/.test(v) ? Number(v) : (Date.parse(v) - Date.now()) / 1000;
    if (!Number.isFinite(s)) s = 2;
    return Math.min(30, Math.max(1, Math.ceil(s)));
  }

  async function countdown(seconds) {
    for (let left = seconds; left > 0; left--) {
      status.textContent = 'BikeBot is busy, retrying in ' + left + ' s…';
      await new Promise((r) => setTimeout(r, 1000));
    }
    status.textContent = 'BikeBot is looking…';
  }

  async function ask(text, opts) {
    opts = opts || {};
    if (busy || !text.trim()) return;
    addUser(opts.shown || text);
    setBusy(true);
    const body = { text };
    const id = conversationId();
    if (id) body.conversationId = id;
    if (opts.location) body.location = opts.location;
    const device = deviceToken(true);
    if (device) body.deviceToken = device;
    try {
      const post = () => fetch('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bikebot-client': 'web' },
        body: JSON.stringify(body),
      });
      let res = await post();
      // A busy server (503) says when to come back: the page waits that long, saying so,
      // and asks once more; a second refusal is shown, so nobody waits on a loop.
      if (res.status === 503) {
        await countdown(retryAfterSeconds(res.headers.get('retry-after')));
        res = await post();
      }
      const data = await res.json().catch(() => null);
      if (!res.ok || !data || !data.answer) {
        addError(data && data.message ? 'Sorry: ' + data.message : 'Sorry, something went wrong (' + res.status + '). Please try again.');
        return;
      }
      // The server issues ids: an id it did not issue comes back replaced, and the new one is kept.
      rememberConversation(data.conversationId);
      await configReady;
      if (data.answer.intent === 'alert') {
        try { localStorage.setItem(DEVICE_KEY + '.alerts', '1'); } catch { /* the stream still opens for this visit */ }
        listenForAlerts();
      }
      addBot(data.answer, opts.location ? { name: 'You', lat: opts.location.lat, lon: opts.location.lon } : null);
    } catch {
      addError('Sorry, I could not reach BikeBot. Check your connection and try again.');
    } finally {
      setBusy(false);
      // Keyboard and screen-reader users continue where they type; the reply is announced by the live log.
      input.focus({ preventScroll: true });
    }
  }

  // A browser that has set alerts before listens from the start.
  try { if (localStorage.getItem(DEVICE_KEY + '.alerts')) listenForAlerts(); } catch { /* no storage: no earlier alerts */ }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    ask(text);
  });

  locate.addEventListener('click', () => {
    if (!navigator.geolocation) {
      addError('Your browser cannot share its location. Type a place instead.');
      return;
    }
    status.textContent = 'Finding your location…';
    navigator.geolocation.getCurrentPosition(
      (pos) => ask('nearest bikes', { location: { lat: pos.coords.latitude, lon: pos.coords.longitude }, shown: 'Nearest bikes to my location' }),
      (err) => {
        status.textContent = '';
        addError(err.code === 1 ? 'Location permission was refused. Type a station or place instead.' : 'Could not get your location. Type a station or place instead.');
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
})();
