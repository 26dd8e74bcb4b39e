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
  function ageText(iso) {
    if (!iso) return null;
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return null;
    const s = Math.round((Date.now() - t) / 1000);
    if (s < 0) return 'updated just now';
    if (s < 90) return 'updated ' + s + ' s ago';
    if (s < 90 * 60) return 'updated ' + Math.round(s / 60) + ' min ago';
    if (s < 36 * 3600) return 'updated ' + Math.round(s / 3600) + ' h ago';
    return 'observed ' + new Date(t).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  }

  function count(label, value) {
    const known = value !== null && value !== undefined;
    return el('div', { class: known && value === 0 ? 'zero' : undefined }, [
      el('dt', { text: label }),
      el('dd', { text: known ? String(value) : '–', title: known ? undefined : 'not published by the operator' }),
    ]);
  }

  function stationCard(s, i, stale) {
    const meta = [distanceText(s.distanceM), ageText(s.asOf)].filter(Boolean).join(' · ');
    return el('li', { class: 'card' }, [
      el('h3', {}, [el('span', { class: 'num', 'aria-hidden': 'true', text: String(i + 1) }), el('span', { text: s.name })]),
      el('dl', { class: 'counts' }, [count('bikes', s.bikes), count('e-bikes', s.ebikes), count('spaces', s.emptyDocks)]),
      meta ? el('p', { class: 'meta' + (stale ? ' stale' : ''), text: meta + (stale ? ' · may be out of date' : '') }) : null,
    ]);
  }

  // Equirectangular with the latitude's cosine: at city scale that is as good as any projection.
  function drawMap(stations, place, you) {
    const pts = stations.filter((s) => typeof s.lat === 'number' && typeof s.lon === 'number');
    const extra = [place, you].filter((p) => p && typeof p.lat === 'number');
    if (pts.length < 1) return null;
    const all = pts.concat(extra);
    const lat0 = all.reduce((a, p) => a + p.lat, 0) / all.length;
    const k = Math.cos((lat0 * Math.PI) / 180);
    const xs = all.map((p) => p.lon * k), ys = all.map((p) => -p.lat);
    let minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
    const span = Math.max(maxX - minX, maxY - minY, 0.002);
    const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    const W = 320, H = 200, pad = 22;
    const scale = Math.min((W - 2 * pad) / span, (H - 2 * pad) / span);
    const px = (p) => [W / 2 + (p.lon * k - cx) * scale, H / 2 + (-p.lat - cy) * scale];
    const names = pts.map((s, i) => (i + 1) + ' ' + s.name).join(', ');
    const root = svg('svg', { class: 'map', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Map of ' + names + (place ? ' around ' + place.name : '') });
    // A 200 m scale bar: 1 degree of latitude is about 111 km.
    const bar = (200 / 111_320) * scale;
    root.append(svg('line', { class: 'scale', x1: 10, y1: H - 10, x2: 10 + bar, y2: H - 10 }), svg('text', { class: 'scale-label', x: 14 + bar, y: H - 7 }, '200 m'));
    // Where you are is a halo under the stations, so a dock right beside you stays readable.
    if (you) {
      const [x, y] = px(you);
      const g = svg('g', {});
      g.append(svg('title', {}, 'You are here'), svg('circle', { class: 'you-halo', cx: x, cy: y, r: 16 }), svg('circle', { class: 'you', cx: x, cy: y, r: 5 }));
      root.append(g);
    }
    // The place asked about goes under the stations too: it is often a station itself
    // ("near the British Museum"), and the numbered dock must stay readable on top.
    if (place && place !== you && typeof place.lat === 'number' && !(you && place.lat === you.lat && place.lon === you.lon)) {
      const [x, y] = px(place);
      const g = svg('g', {});
      g.append(svg('title', {}, place.name), svg('path', { class: 'place', d: `M${x} ${y - 13}L${x + 12} ${y}L${x} ${y + 13}L${x - 12} ${y}Z` }));
      root.append(g);
    }
    pts.forEach((s, i) => {
      const [x, y] = px(s);
      const g = svg('g', {});
      g.append(svg('title', {}, s.name), svg('circle', { class: 'st', cx: x, cy: y, r: 9 }), svg('text', { class: 'st-label', x, y }, String(i + 1)));
      root.append(g);
    });
    return root;
  }

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
    if (answer.stations && answer.stations.length) {
      children.push(el('ol', { class: 'cards', 'aria-label': 'Stations' }, answer.stations.map((s, i) => stationCard(s, i, answer.stale))));
      const map = drawMap(answer.stations, answer.place, you);
      if (map) children.push(map);
    } else if (answer.stale && answer.dataAsOf) {
      children.push(el('p', { class: 'meta stale', text: 'Data ' + ageText(answer.dataAsOf) + ' may be out of date' }));
    }
    if (answer.options && answer.options.length) {
      const group = el('div', { class: 'options', role: 'group', 'aria-label': 'Choose one' });
      answer.options.forEach((o, i) => {
        const b = el('button', { type: 'button', class: 'option', 'data-option': String(i + 1), text: (i + 1) + '. ' + o.name });
        b.addEventListener('click', () => {
          for (const other of group.querySelectorAll('button')) other.disabled = true;
          ask(String(i + 1), { shown: o.name });
        });
        group.append(b);
      });
      children.push(group);
    }
    log.append(el('div', { class: 'msg bot' }, children));
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
      const res = await fetch('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bikebot-client': 'web' },
        body: JSON.stringify(body),
      });
      const data = await res.json().catch(() => null);
      if (!res.ok || !data || !data.answer) {
        addError(data && data.message ? 'Sorry: ' + data.message : 'Sorry, something went wrong (' + res.status + '). Please try again.');
        return;
      }
      rememberConversation(data.conversationId);
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
