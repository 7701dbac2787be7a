import { StreamableFile } from '@nestjs/common';
import { Workbook } from 'exceljs';

/**
 * Files handed to people (reports, rosters, statements, attendance): CSV that Excel opens with
 * Chinese intact, `.xlsx` workbooks, and a download name in Chinese. One way for every export;
 * callers mask personal data before it reaches a cell.
 */

/** The formats an export route accepts in `?format=`. */
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A cell: text, a number, empty, or a share from 0 to 1 shown as a percentage. */
export type Cell = string | number | null | { percent: number };

/** A column: its header as people read it (Chinese) and a width for the workbook. */
export interface ExportColumn {
  header: string;
  width?: number;
  /** Excel number format for numbers in this column, e.g. '0.00%'. */
  numberFormat?: string;
}

/** One table: a sheet of a workbook, or the whole of a CSV file. */
export interface ExportTable {
  /** Sheet name (at most 31 characters, none of : \ / ? * [ ]). */
  name: string;
  columns: ExportColumn[];
  rows: Cell[][];
  /** A last row of totals, written in bold below the rows. */
  totals?: Cell[];
  /** Lines above the table (title, period), each in its own row. */
  caption?: string[];
}

const BOM = '\uFEFF';
const MEDIA_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * A text cell that a spreadsheet would run as a formula (= + - @, or a tab or carriage return in
 * front) gets a leading apostrophe, so a name like "=HYPERLINK(…)" stays text (OWASP, CSV
 * injection). Numbers are written as numbers and are never touched.
 */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'object') return `${(value.percent * 100).toFixed(2)}%`;
  const text = typeof value === 'number' ? String(value) : guardFormula(value);
  // RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled.
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with CRLF line ends, starting with a UTF-8 byte-order mark so that Excel reads Chinese. */
export function csvBuffer(table: ExportTable): Buffer {
  const lines = [table.columns.map((column) => csvField(column.header)), ...table.rows.map((row) => row.map(csvField))];
  if (table.totals) lines.push(table.totals.map(csvField));
  return Buffer.from(BOM + lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n', 'utf8');
}

/** A workbook with one sheet per table: caption lines, a bold header row, the rows, a bold totals row. */
export async function xlsxBuffer(tables: ExportTable[]): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Eldercare';
  workbook.created = new Date();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31));
    for (const line of table.caption ?? []) sheet.addRow([guardFormula(line)]).font = { bold: true };
    if (table.caption?.length) sheet.addRow([]);
    const header = sheet.addRow(table.columns.map((column) => column.header));
    header.font = { bold: true };
    const addRow = (row: Cell[]) => {
      const added = sheet.addRow(
        row.map((value) => (typeof value === 'string' ? guardFormula(value) : value !== null && typeof value === 'object' ? value.percent : value)),
      );
      row.forEach((value, index) => {
        if (value !== null && typeof value === 'object') added.getCell(index + 1).numFmt = '0.00%';
      });
      return added;
    };
    for (const row of table.rows) addRow(row);
    if (table.totals) addRow(table.totals).font = { bold: true };
    table.columns.forEach((column, index) => {
      const sheetColumn = sheet.getColumn(index + 1);
      sheetColumn.width = column.width ?? Math.max(10, column.header.length * 2 + 2);
      if (column.numberFormat) sheetColumn.numFmt = column.numberFormat;
    });
    // The header stays in view while scrolling.
    sheet.views = [{ state: 'frozen', ySplit: header.number }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * `attachment` with the Chinese name as RFC 5987 `filename*` and an ASCII `filename` for
 * clients that do not read it. `asciiName` is the fallback without its extension.
 */
export function contentDisposition(fileName: string, asciiName: string): string {
  const ascii = asciiName.replace(/[^A-Za-z0-9._-]/g, '_');
  const extension = /\.[a-z0-9]+$/i.exec(fileName)?.[0] ?? '';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}${extension}"; filename*=UTF-8''${encoded}`;
}

/**
 * The response of an export route: the body in the asked format, its media type and the
 * Content-Disposition. `baseName` is the Chinese name without extension; `asciiName` its ASCII
 * fallback. A CSV holds the first table only.
 */
export async function exportFile(format: ExportFormat, names: { baseName: string; asciiName: string }, tables: ExportTable[]): Promise<StreamableFile> {
  const body = format === 'csv' ? csvBuffer(tables[0]) : await xlsxBuffer(tables);
  return new StreamableFile(body, {
    type: MEDIA_TYPE[format],
    disposition: contentDisposition(`${names.baseName}.${format}`, names.asciiName),
    length: body.length,
  });
}
