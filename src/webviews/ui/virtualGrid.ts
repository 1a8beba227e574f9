/**
 * A virtually scrolled table for millions of rows: only the rows on screen are in the DOM, the
 * scroll bar is a spacer (scaled down past the height browsers allow), and the header stays on
 * top while the body scrolls. Rows come from the caller, which fetches them as they are needed.
 * Columns sort (click the name), resize (drag the right edge) and hide (the × in the header).
 */
import { el, formatCount } from './vscodeApi.js';

export interface GridColumn {
  /** The caller's index of the column (what onSort/onHide receive). */
  key: number;
  name: string;
  type?: string;
  width: number;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** Text shown for a cell, and its hover (e.g. human units, with exact bytes on hover). */
  format?: (text: string) => { text: string; title?: string };
  /** A hover for the header. */
  title?: string;
}

export interface GridRow {
  cells: (string | null)[];
  /** Shown in the row-number cell; defaults to the row's position. */
  label?: string;
  labelTitle?: string;
  /** Cells (by position) still being read: shown as loading. */
  pending?: ReadonlySet<number>;
}

export interface GridSource {
  rowCount(): number;
  columns(): GridColumn[];
  /** The row at a view position, or undefined while it is being fetched. */
  row(index: number): GridRow | undefined;
  sort(): { key: number; descending: boolean } | undefined;
  /** Rows first..last (inclusive) are on screen: fetch what is missing. */
  need(first: number, last: number): void;
  onSort(key: number): void;
  onHide?(key: number): void;
  onResize(key: number, width: number): void;
  onSelect?(row: number, column: number | null): void;
  /** A row was activated (double click or Enter). */
  onOpen?(row: number): void;
}

export const ROW_HEIGHT = 22;
/** Browsers cap an element's height (~17 M px in Firefox, ~33 M in Chrome): scale past this. */
const MAX_SPACER = 8_000_000;

export class VirtualGrid {
  readonly element: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly colgroup: HTMLElement;
  private readonly head: HTMLElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private first = 0;
  private selected: { row: number; column: number | null } | undefined;
  private frame = 0;

  constructor(private readonly source: GridSource, id: string) {
    this.colgroup = el('colgroup');
    this.head = el('thead');
    this.body = el('tbody');
    this.table = el('table', { class: 'grid', id, role: 'grid' }, this.colgroup, this.head, this.body) as HTMLTableElement;
    this.spacer = el('div', { class: 'grid-spacer' });
    this.element = el('div', { class: 'grid-scroll', tabindex: 0 }, this.table, this.spacer);
    this.element.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.element);
    this.element.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Rows that fit on screen. */
  get visibleRows(): number {
    const h = this.element.clientHeight - (this.head.getBoundingClientRect().height || ROW_HEIGHT + 4);
    return Math.max(1, Math.floor(h / ROW_HEIGHT));
  }

  get firstRow(): number {
    return this.first;
  }

  get selection(): { row: number; column: number | null } | undefined {
    return this.selected;
  }

  /** Scrolls so that this row is the first on screen. */
  scrollToRow(row: number): void {
    const range = this.scrollRange();
    const rows = Math.max(0, this.source.rowCount() - this.visibleRows);
    this.element.scrollTop = rows === 0 ? 0 : (Math.min(row, rows) / rows) * range;
    this.render();
  }

  select(row: number, column: number | null): void {
    this.selected = { row, column };
    this.source.onSelect?.(row, column);
    this.renderBody();
  }

  /** Redraws header and rows (after columns, sort or data change). */
  render(): void {
    this.renderHeader();
    this.renderBody();
  }

  /** Redraws rows only (new data arrived). */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderBody();
    });
  }

  private scrollRange(): number {
    const rows = Math.max(0, this.source.rowCount() - this.visibleRows);
    return Math.min(MAX_SPACER, rows * ROW_HEIGHT);
  }

  private renderHeader(): void {
    const columns = this.source.columns();
    const sort = this.source.sort();
    this.colgroup.replaceChildren(el('col', { style: 'width: 80px' }), ...columns.map((c) => el('col', { style: `width: ${c.width}px` })));
    const cells = columns.map((c, i) => {
      const sorted = sort?.key === c.key;
      const button = el('button', { class: 'sort', type: 'button', title: c.title ?? `Sort by ${c.name}` }, c.name, c.type ? el('span', { class: 'type' }, c.type) : '', sorted ? (sort.descending ? ' ▼' : ' ▲') : '');
      button.addEventListener('click', () => this.source.onSort(c.key));
      const parts: Node[] = [button];
      if (this.source.onHide) {
        const hide = el('button', { class: 'hide-column', type: 'button', title: `Hide ${c.name}`, 'aria-label': `Hide ${c.name}` }, '×');
        hide.addEventListener('click', () => this.source.onHide?.(c.key));
        parts.push(hide);
      }
      const grip = el('span', { class: 'resize', title: 'Drag to resize', 'aria-hidden': 'true' });
      grip.addEventListener('pointerdown', (e) => this.startResize(e, c, i));
      parts.push(grip);
      return el('th', { scope: 'col', 'aria-sort': sorted ? (sort.descending ? 'descending' : 'ascending') : 'none', 'data-key': c.key }, el('div', { class: 'th' }, ...parts));
    });
    this.head.replaceChildren(el('tr', {}, el('th', { class: 'rownum', scope: 'col' }, '#'), ...cells));
  }

  private startResize(e: PointerEvent, column: GridColumn, index: number): void {
    e.preventDefault();
    const grip = e.target as HTMLElement;
    grip.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    const startWidth = column.width;
    const col = this.colgroup.children[index + 1] as HTMLElement | undefined;
    const move = (m: PointerEvent) => {
      column.width = Math.max(40, Math.round(startWidth + m.clientX - startX));
      if (col) col.style.width = `${column.width}px`;
    };
    const up = () => {
      grip.removeEventListener('pointermove', move);
      grip.removeEventListener('pointerup', up);
      this.source.onResize(column.key, column.width);
    };
    grip.addEventListener('pointermove', move);
    grip.addEventListener('pointerup', up);
  }

  private renderBody(): void {
    const total = this.source.rowCount();
    const visible = this.visibleRows;
    const range = this.scrollRange();
    this.spacer.style.height = `${range}px`;
    const rows = Math.max(0, total - visible);
    this.first = range === 0 ? 0 : Math.min(rows, Math.round((this.element.scrollTop / range) * rows));
    const last = Math.min(total, this.first + visible + 1) - 1;
    if (last >= this.first) this.source.need(this.first, last);
    const columns = this.source.columns();
    const out: HTMLElement[] = [];
    for (let r = this.first; r <= last; r++) {
      const row = this.source.row(r);
      const selectedRow = this.selected?.row === r;
      const tr = el('tr', { 'data-row': r, class: selectedRow ? 'selected' : '', 'aria-rowindex': r + 1 });
      tr.append(el('td', { class: 'rownum', title: row?.labelTitle ?? '' }, row?.label ?? formatCount(r + 1)));
      columns.forEach((c, j) => {
        const text = row?.cells[j];
        const props: Record<string, string | number> = { 'data-col': j };
        const classes = [c.numeric ? 'num' : '', selectedRow && this.selected?.column === j ? 'selected-cell' : ''];
        let shown: string;
        if (row === undefined || row.pending?.has(j)) {
          shown = '…';
          classes.push('loading');
        } else if (text === null || text === undefined) {
          shown = 'null';
          classes.push('null');
        } else if (c.format) {
          const f = c.format(text);
          shown = f.text;
          props.title = f.title ?? text;
        } else {
          shown = text;
          if (text.length > 24) props.title = text;
        }
        props.class = classes.filter(Boolean).join(' ');
        tr.append(el('td', props, shown));
      });
      tr.addEventListener('click', (e) => {
        const td = (e.target as HTMLElement).closest('td');
        const col = td?.dataset.col;
        this.select(r, col === undefined ? null : Number(col));
      });
      if (this.source.onOpen) tr.addEventListener('dblclick', () => this.source.onOpen?.(r));
      out.push(tr);
    }
    this.body.replaceChildren(...out);
  }

  private onKey(e: KeyboardEvent): void {
    const total = this.source.rowCount();
    if (total === 0) return;
    const sel = this.selected ?? { row: this.first, column: 0 };
    const columns = this.source.columns().length;
    let { row, column } = sel;
    switch (e.key) {
      case 'ArrowDown': row = Math.min(total - 1, row + 1); break;
      case 'ArrowUp': row = Math.max(0, row - 1); break;
      case 'PageDown': row = Math.min(total - 1, row + this.visibleRows); break;
      case 'PageUp': row = Math.max(0, row - this.visibleRows); break;
      case 'Home': if (e.ctrlKey || e.metaKey) row = 0; else column = 0; break;
      case 'End': if (e.ctrlKey || e.metaKey) row = total - 1; else column = columns - 1; break;
      case 'ArrowRight': column = Math.min(columns - 1, (column ?? -1) + 1); break;
      case 'ArrowLeft': column = Math.max(0, (column ?? 1) - 1); break;
      case 'Enter': this.source.onOpen?.(row); return;
      default: return;
    }
    e.preventDefault();
    if (row < this.first || row >= this.first + this.visibleRows) this.scrollToRow(row < this.first ? row : row - this.visibleRows + 1);
    this.select(row, column);
  }
}
