/** Proves the CSV writer quotes by RFC 4180, starts with a BOM, defuses formulas, and that the download name survives in both header forms. */
import { Workbook } from 'exceljs';
import { contentDisposition, csvBuffer, guardFormula, xlsxBuffer } from './export-file';

describe('export files', () => {
  it('writes RFC 4180 CSV with a byte-order mark and CRLF line ends', () => {
    const buffer = csvBuffer({
      name: 't',
      columns: [{ header: '姓名' }, { header: '备注' }, { header: '分钟' }],
      rows: [
        ['王秀英', 'says "hi", twice', 30],
        ['李\n明', null, -15],
      ],
      totals: ['合计', '', 15],
    });
    expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buffer.toString('utf8').slice(1)).toBe('姓名,备注,分钟\r\n王秀英,"says ""hi"", twice",30\r\n"李\n明",,-15\r\n合计,,15\r\n');
  });

  it('prefixes text that a spreadsheet would run as a formula, and leaves numbers alone', () => {
    for (const hostile of ['=1+1', '+86 138', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(guardFormula(hostile)).toBe(`'${hostile}`);
    expect(guardFormula('王秀英')).toBe('王秀英');
    const text = csvBuffer({ name: 't', columns: [{ header: 'a' }, { header: 'b' }], rows: [['=HYPERLINK("x")', -5]] }).toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""x"")",-5`);
  });

  it('names the file in Chinese (RFC 5987) with an ASCII fallback', () => {
    const header = contentDisposition('区级报表 2026-11.xlsx', 'district-report 2026-11');
    expect(header).toBe(`attachment; filename="district-report_2026-11.xlsx"; filename*=UTF-8''${encodeURIComponent('区级报表 2026-11.xlsx')}`);
  });

  it('writes one sheet per table with a bold header and totals row', async () => {
    const buffer = await xlsxBuffer([
      {
        name: '床位',
        caption: ['标题'],
        columns: [{ header: '机构' }, { header: '床位数' }],
        rows: [
          ['甲', 3],
          ['乙', 4],
        ],
        totals: ['合计', 7],
      },
      { name: '时间银行', columns: [{ header: '分钟' }], rows: [['=cmd']] },
    ]);
    const workbook = new Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['床位', '时间银行']);
    const beds = workbook.getWorksheet('床位');
    if (!beds) throw new Error('no sheet 床位');
    expect(beds.getRow(3).values).toEqual([undefined, '机构', '床位数']);
    expect(beds.getRow(3).font?.bold).toBe(true);
    expect(beds.getRow(6).values).toEqual([undefined, '合计', 7]);
    expect(workbook.getWorksheet('时间银行')?.getRow(2).getCell(1).value).toBe("'=cmd");
  });
});
