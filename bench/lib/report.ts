import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
  scenario: string;
  figure: string;
  value: number | string;
  unit: string;
  target?: string;
  met?: boolean;
}

const OUT = join(__dirname, '..', '..', '..', 'docs', 'benchmarks');

/** Prints the figures as a table a person can read in a terminal. */
export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [f.scenario, f.figure, `${f.value} ${f.unit}`.trim(), f.target ?? '', f.met === undefined ? '' : f.met ? 'met' : 'NOT MET']);
  const header = ['scenario', 'figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells: string[]): string => cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
}

export function writeJson(name: string, data: unknown): string {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

export interface Series {
  label: string;
  color: string;
  values: Record<string, number>;
}

/**
 * A grouped bar chart as a standalone SVG: one group per category (e.g. p50, p90, p99), one bar
 * per series (e.g. queued vs synchronous), values printed on the bars so the chart reads without
 * colour too.
 */
export function barChartSvg(title: string, unit: string, categories: string[], series: Series[]): string {
  const width = 760;
  const height = 360;
  const left = 70;
  const bottom = 50;
  const top = 50;
  const plotHeight = height - top - bottom;
  const max = Math.max(1, ...series.flatMap((s) => categories.map((c) => s.values[c] ?? 0)));
  const groupWidth = (width - left - 20) / categories.length;
  const barWidth = Math.min(60, (groupWidth - 20) / series.length);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
  );
  parts.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  parts.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${title}</text>`);
  parts.push(`<line x1="${left}" y1="${top + plotHeight}" x2="${width - 10}" y2="${top + plotHeight}" stroke="#333"/>`);
  parts.push(`<text x="14" y="${top + plotHeight / 2}" transform="rotate(-90 14 ${top + plotHeight / 2})" text-anchor="middle">${unit}</text>`);
  categories.forEach((category, ci) => {
    const groupX = left + ci * groupWidth + 10;
    series.forEach((s, si) => {
      const value = s.values[category] ?? 0;
      const barHeight = (value / max) * plotHeight;
      const x = groupX + si * (barWidth + 4);
      const y = top + plotHeight - barHeight;
      parts.push(
        `<rect x="${x}" y="${y}" width="${barWidth}" height="${Math.max(barHeight, 1)}" fill="${s.color}"><title>${s.label} ${category}: ${value}</title></rect>`,
      );
      parts.push(`<text x="${x + barWidth / 2}" y="${y - 4}" text-anchor="middle" font-size="11">${value}</text>`);
    });
    parts.push(`<text x="${groupX + (series.length * (barWidth + 4)) / 2}" y="${top + plotHeight + 18}" text-anchor="middle">${category}</text>`);
  });
  series.forEach((s, si) => {
    const x = left + si * 220;
    parts.push(`<rect x="${x}" y="${height - 22}" width="14" height="14" fill="${s.color}"/>`);
    parts.push(`<text x="${x + 20}" y="${height - 10}">${s.label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Writes a chart beside the figures. A partial run (`BENCH_ONLY=…`) writes `<name>.partial.svg`,
 * as its figures go to partial.json, so the committed charts always come from a full run.
 */
export function writeSvg(name: string, svg: string): string {
  mkdirSync(OUT, { recursive: true });
  const partial = (process.env.BENCH_ONLY ?? '') !== '';
  const file = join(OUT, `${name}${partial ? '.partial' : ''}.svg`);
  writeFileSync(file, `${svg}\n`);
  return file;
}

export interface LineSeries {
  label: string;
  color: string;
  /** Dash pattern, so series differ by more than colour. */
  dash?: string;
  points: { x: number; y: number; note?: string }[];
}

/**
 * A line chart as a standalone SVG with a logarithmic y axis (latency from a few milliseconds to
 * the 10 s timeout fits one picture): one line per series, each point labelled with its value
 * (and a note such as "312 timeouts"), so it reads without colour too.
 */
export function lineChartSvg(title: string, xUnit: string, yUnit: string, series: LineSeries[]): string {
  const width = 760;
  const height = 420;
  const left = 80;
  const right = 30;
  const top = 50;
  const bottom = 80;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => Math.max(p.y, 1)));
  const xMin = Math.min(...xs, 0);
  const xMax = Math.max(...xs, 1);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...ys, 10)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys, 100)));
  const px = (x: number): number => left + ((x - xMin) / (xMax - xMin)) * plotWidth;
  const py = (y: number): number => top + plotHeight - ((Math.log10(Math.max(y, 1)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
  );
  parts.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  parts.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${title}</text>`);
  for (let tick = yMin; tick <= yMax; tick *= 10) {
    parts.push(`<line x1="${left}" y1="${py(tick)}" x2="${width - right}" y2="${py(tick)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${py(tick) + 4}" text-anchor="end">${tick >= 1000 ? `${tick / 1000} s` : `${tick} ms`}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<line x1="${px(x)}" y1="${top + plotHeight}" x2="${px(x)}" y2="${top + plotHeight + 5}" stroke="#333"/>`);
    parts.push(`<text x="${px(x)}" y="${top + plotHeight + 20}" text-anchor="middle">${x}</text>`);
  }
  parts.push(`<line x1="${left}" y1="${top + plotHeight}" x2="${width - right}" y2="${top + plotHeight}" stroke="#333"/>`);
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#333"/>`);
  parts.push(`<text x="${left + plotWidth / 2}" y="${top + plotHeight + 40}" text-anchor="middle">${xUnit}</text>`);
  parts.push(`<text x="16" y="${top + plotHeight / 2}" transform="rotate(-90 16 ${top + plotHeight / 2})" text-anchor="middle">${yUnit}</text>`);
  series.forEach((s, si) => {
    const path = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const p of s.points) {
      const label = `${Math.round(p.y)} ms${p.note ? ` (${p.note})` : ''}`;
      parts.push(`<circle cx="${px(p.x)}" cy="${py(p.y)}" r="4" fill="${s.color}"><title>${s.label} at ${p.x}: ${label}</title></circle>`);
      parts.push(`<text x="${px(p.x)}" y="${py(p.y) + (si % 2 === 0 ? -8 : 16)}" text-anchor="middle" font-size="11">${label}</text>`);
    }
    const x = left + si * 300;
    parts.push(
      `<line x1="${x}" y1="${height - 16}" x2="${x + 28}" y2="${height - 16}" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
    );
    parts.push(`<text x="${x + 34}" y="${height - 12}">${s.label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
