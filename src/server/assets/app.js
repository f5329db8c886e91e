/* The dashboard's one script: search, sorting, the map's hover, the
 * what-if sliders. Every page works without it. No library, no network
 * request but to this server's own API. */
(function () {
  'use strict';
  var doc = document, body = doc.body;
  var lang = body.getAttribute('data-lang') || 'vi';
  doc.documentElement.className += ' js';
  var collator = new Intl.Collator(lang === 'en' ? 'en' : 'vi', {sensitivity: 'base', numeric: true});

  /* Matching ignores case and accents: "da nang" finds "Đà Nẵng". */
  function fold(s) {
    return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/\u0111/g, 'd').replace(/\u0110/g, 'D').toLowerCase().trim();
  }
  function num(v, dec) {
    if (v === null || v === undefined || isNaN(v)) return '\u2013';
    var s = Number(v).toFixed(dec);
    return lang === 'vi' ? s.replace('.', ',') : s;
  }
  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }

  /* The year and unit-set switches submit themselves. */
  $$('#view-form select').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });

  /* ---- sortable tables: click a heading; numbers by value, names in
   * Vietnamese order; a second click reverses. */
  function cellKey(row, col) {
    var c = row.cells[col];
    return c ? (c.getAttribute('data-v') !== null ? c.getAttribute('data-v') : c.textContent) : '';
  }
  function sortTable(table, col, kind, dir) {
    var tb = table.tBodies[0], rows = $$('tr', tb);
    rows.sort(function (a, b) {
      var x = cellKey(a, col), y = cellKey(b, col);
      if (kind === 'num') {
        var nx = parseFloat(x), ny = parseFloat(y);
        var bad = 1e98;
        if (isNaN(nx) || nx < -bad) nx = dir > 0 ? Infinity : -Infinity;
        if (isNaN(ny) || ny < -bad) ny = dir > 0 ? Infinity : -Infinity;
        return dir * (nx - ny) || collator.compare(a.getAttribute('data-name') || '', b.getAttribute('data-name') || '');
      }
      return dir * collator.compare(x.trim(), y.trim());
    });
    rows.forEach(function (r) { tb.appendChild(r); });
    $$('th', table.tHead).forEach(function (h) { h.removeAttribute('aria-sort'); });
    var th = table.tHead.rows[0].cells[col];
    th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    table.dispatchEvent(new Event('sorted'));
  }
  $$('table.sortable').forEach(function (table) {
    if (!table.tHead) return;
    $$('th', table.tHead.rows[0]).forEach(function (th, col) {
      var kind = th.getAttribute('data-sort');
      if (!kind) return;
      th.tabIndex = 0;
      function go() {
        var cur = th.getAttribute('aria-sort');
        /* scores, pillars: highest first; ranks and names: ascending first */
        var first = kind === 'num' && !/rank|hạng|change|thay|prev|năm trước|tier|nhóm/i.test(th.textContent) ? -1 : 1;
        var dir = cur === 'ascending' ? -1 : cur === 'descending' ? 1 : first;
        sortTable(table, col, kind, dir);
      }
      th.addEventListener('click', go);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
    });
  });

  /* ---- the ranking: search, top N, tiers ---- */
  var ranking = $('#ranking'), search = $('#search'), topn = $('#topn'), tiers = $('#tiers');
  function filter() {
    if (!ranking) return;
    var q = fold(search ? search.value : ''), n = topn ? parseInt(topn.value, 10) : 0, shown = 0;
    $$('tbody tr', ranking).forEach(function (r) {
      var match = !q || fold(r.getAttribute('data-name')).indexOf(q) >= 0 || (r.getAttribute('data-code') || '') === q;
      var rank = parseInt(r.cells[0].getAttribute('data-v'), 10);
      var inTop = !n || (rank > 0 && rank <= n);
      var show = match && inTop;
      r.classList.toggle('hidden-row', !show);
      if (show) shown++;
    });
    ranking.setAttribute('data-shown', String(shown));
  }
  if (search) search.addEventListener('input', filter);
  if (topn) topn.addEventListener('change', filter);
  if (tiers && ranking) tiers.addEventListener('change', function () {
    ranking.classList.toggle('show-tiers', tiers.checked);
    body.classList.toggle('tiers-on', tiers.checked);
  });

  /* ---- the map: hover shows the unit and lights its row; the row lights
   * the unit; a click follows the unit's link (in the SVG). */
  var info = $('#map-info'), hint = info ? info.textContent : '';
  function rowOf(code) { return ranking ? $('tr[data-code="' + code + '"]', ranking) : null; }
  $$('svg.map g[data-code]').forEach(function (g) {
    var code = g.getAttribute('data-code');
    g.addEventListener('mouseenter', function () {
      g.classList.add('hl');
      var r = rowOf(code);
      if (r) r.classList.add('hl');
      if (info) info.textContent = r ? r.getAttribute('data-info') : ((g.querySelector('title') || {}).textContent || code);
    });
    g.addEventListener('mouseleave', function () {
      g.classList.remove('hl');
      var r = rowOf(code);
      if (r) r.classList.remove('hl');
      if (info) info.textContent = hint;
    });
  });
  if (ranking) $$('tbody tr', ranking).forEach(function (r) {
    var g = $('svg.map g[data-code="' + r.getAttribute('data-code') + '"]');
    if (!g) return;
    r.addEventListener('mouseenter', function () { g.classList.add('hl'); });
    r.addEventListener('mouseleave', function () { g.classList.remove('hl'); });
  });

  /* ---- what-if: the sliders recompute the ranking through the API ---- */
  var form = $('#whatif-form');
  if (!form) return;
  var sliders = $$('input[type=range][data-node]', form), status = $('#whatif-status');
  var tbodyW = $('#whatif-body'), timer = null, seq = 0;
  var year = body.getAttribute('data-year'), units = body.getAttribute('data-units');
  function query(format) {
    var q = 'year=' + year + '&units=' + units;
    sliders.forEach(function (s) {
      if (parseFloat(s.value) !== parseFloat(s.getAttribute('data-default')))
        q += '&w.' + encodeURIComponent(s.getAttribute('data-node')) + '=' + encodeURIComponent(s.value);
    });
    return format ? q + '&format=' + format : q;
  }
  function shares() {
    var total = {};
    sliders.forEach(function (s) {
      var p = s.getAttribute('data-parent');
      total[p] = (total[p] || 0) + parseFloat(s.value);
    });
    sliders.forEach(function (s) {
      var out = form.querySelector('output[for="' + s.id + '"]');
      if (out) out.textContent = num(100 * parseFloat(s.value) / total[s.getAttribute('data-parent')], 0) + '%';
    });
  }
  function cell(text, cls, v) {
    var td = doc.createElement('td');
    td.className = cls || 'n';
    if (v !== undefined) td.setAttribute('data-v', String(v));
    td.textContent = text;
    return td;
  }
  function draw(data, ms) {
    var list = data.units.slice().sort(function (a, b) {
      return (a.rank || 999) - (b.rank || 999) || collator.compare(a.name, b.name);
    });
    var frag = doc.createDocumentFragment();
    list.forEach(function (u) {
      var tr = doc.createElement('tr');
      tr.setAttribute('data-code', u.code);
      tr.setAttribute('data-name', u.name);
      tr.appendChild(cell(u.rank || '\u2013', 'n', u.rank || 999));
      var td = cell('', 'n chg');
      if (u.rank && u.nominal_rank) {
        var c = u.nominal_rank - u.rank, sp = doc.createElement('span');
        sp.className = c > 0 ? 'up' : c < 0 ? 'down' : 'same';
        sp.textContent = c > 0 ? '\u2191' + c : c < 0 ? '\u2193' + (-c) : '=';
        td.setAttribute('data-v', String(c));
        td.appendChild(sp);
      } else td.textContent = '\u2013';
      tr.appendChild(td);
      tr.appendChild(cell(u.nominal_rank || '\u2013', 'n', u.nominal_rank || 999));
      var name = cell('', 'unit'), a = doc.createElement('a');
      a.href = '/' + lang + '/p/' + u.code + '?year=' + year + '&units=' + units;
      a.textContent = u.name;
      name.appendChild(a);
      tr.appendChild(name);
      tr.appendChild(cell(num(u.score, 1), 'n', u.score === null ? -1e99 : u.score));
      tr.appendChild(cell(u.score_lo === null ? '\u2013' : num(u.score_lo, 1) + '\u2013' + num(u.score_hi, 1), 'n iv'));
      tr.appendChild(cell(u.rank_lo ? u.rank_lo + '\u2013' + u.rank_hi : '\u2013', 'n iv', u.rank_lo || 999));
      frag.appendChild(tr);
    });
    tbodyW.textContent = '';
    tbodyW.appendChild(frag);
    $$('#whatif-downloads a.download').forEach(function (a) {
      var f = /format=(\w+)/.exec(a.getAttribute('href'));
      a.setAttribute('href', '/api/v1/whatif?' + query(f ? f[1] : 'json'));
    });
    if (status) status.textContent = (lang === 'vi' ? 'tính lại trong ' : 'recomputed in ') + Math.round(ms) + ' ms';
    $('#whatif-table').setAttribute('data-updated', String(seq));
  }
  function recompute() {
    var mine = ++seq, t0 = performance.now();
    if (history.replaceState) history.replaceState(null, '', '/' + lang + '/whatif?' + query(''));
    fetch('/api/v1/whatif?' + query('json'), {credentials: 'same-origin'})
      .then(function (r) { return r.json().then(function (j) { return {ok: r.ok, j: j}; }); })
      .then(function (x) {
        if (mine !== seq) return; /* a newer request is on its way */
        if (!x.ok) { if (status) status.textContent = x.j.error || 'error'; return; }
        draw(x.j, performance.now() - t0);
      })
      .catch(function () { if (status) status.textContent = 'error'; });
  }
  sliders.forEach(function (s) {
    s.addEventListener('input', function () {
      shares();
      clearTimeout(timer);
      timer = setTimeout(recompute, 120);
    });
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); recompute(); });
  shares();
})();
