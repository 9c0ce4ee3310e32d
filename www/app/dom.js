// The page's elements, looked up once (index.html has them all; module
// scripts run after the document is parsed).

/** The element with id `id`. */
export const $ = (id) => document.getElementById(id);

/** The elements the page's modules read and write. */
export const el = {
  title: $('title'), subtitle: $('subtitle'), form: $('search-form'), q: $('q'),
  suggestions: $('suggestions'), sort: $('sort'), rangeLabel: $('range-label'),
  zoomIn: $('zoom-in'), zoomOut: $('zoom-out'), clearRange: $('clear-range'),
  chart: $('chart'), svg: $('histogram'), ticks: $('ticks'), axisStart: $('axis-start'), axisEnd: $('axis-end'),
  undated: $('undated'), authors: $('authors'), authorsBox: $('authors-box'), tzNote: $('tz-note'),
  results: $('results'), count: $('count'), correction: $('correction'), notice: $('notice'), hits: $('hits'), more: $('more'),
  dialog: $('entry'), hitTemplate: $('hit-template'),
  filtersToggle: $('filters-toggle'), filtersState: $('filters-state'), filtersPanel: $('filters-panel'),
  chartHint: $('chart-hint'), chartEmpty: $('chart-empty'),
};
