/**
 * The catalog's only script (plain ES2017, no build step): `/` focuses the search,
 * and on the index page typing filters the list in place with the rules of
 * runtime/catalog/search.ts (every term must match; `owner:` and `tag:` prefixes).
 */
export const CATALOG_JS = `(function () {
  'use strict';
  var input = document.getElementById('q');
  if (!input) return;

  function isTyping(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  var list = document.getElementById('results');
  if (!list) return;
  var items = Array.prototype.slice.call(list.querySelectorAll('.result'));
  var sections = Array.prototype.slice.call(list.querySelectorAll('section'));
  var status = document.getElementById('status');
  var empty = document.getElementById('no-results');
  var kinds = Array.prototype.slice.call(document.querySelectorAll('input[name="kind"]'));

  function matches(item, terms) {
    var d = item.dataset;
    var tags = d.tags ? d.tags.split(' ') : [];
    return terms.every(function (term) {
      if (term.indexOf('owner:') === 0) return d.owner.indexOf(term.slice(6)) >= 0;
      if (term.indexOf('tag:') === 0) {
        var want = term.slice(4);
        return tags.some(function (t) { return t.indexOf(want) === 0; });
      }
      return d.text.indexOf(term) >= 0;
    });
  }

  function selectedKind() {
    for (var i = 0; i < kinds.length; i++) if (kinds[i].checked) return kinds[i].value;
    return 'all';
  }

  function apply() {
    var query = input.value.trim();
    var terms = query.toLowerCase().split(/\\s+/).filter(Boolean);
    var kind = selectedKind();
    var shown = 0;
    items.forEach(function (item) {
      var visible = (kind === 'all' || item.dataset.kind === kind) && matches(item, terms);
      item.hidden = !visible;
      if (visible) shown++;
    });
    sections.forEach(function (section) {
      var count = section.querySelectorAll('.result:not([hidden])').length;
      section.hidden = count === 0;
      var counter = section.querySelector('.count');
      if (counter) counter.textContent = String(count);
    });
    status.textContent = shown === items.length ? 'Showing all ' + items.length : 'Showing ' + shown + ' of ' + items.length;
    empty.hidden = shown > 0;
    var params = new URLSearchParams();
    if (query) params.set('q', query);
    if (kind !== 'all') params.set('kind', kind);
    var search = params.toString();
    history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
  }

  function firstVisibleLink() {
    var item = items.filter(function (i) { return !i.hidden; })[0];
    return item && item.querySelector('a.result-name');
  }

  input.addEventListener('input', apply);
  kinds.forEach(function (k) { k.addEventListener('change', apply); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && input.value) {
      input.value = '';
      apply();
    } else if (e.key === 'Enter' || e.key === 'ArrowDown') {
      var link = firstVisibleLink();
      if (!link) return;
      e.preventDefault();
      if (e.key === 'Enter') location.href = link.href;
      else link.focus();
    }
  });
  document.getElementById('search-form').addEventListener('submit', function (e) { e.preventDefault(); });
  apply();
})();
`;
