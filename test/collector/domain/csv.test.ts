// RFC 4180 CSV, and the spreadsheet-safe mode of partner-facing exports.
import { csvField, csvRows, toCsv } from '../../../collector/domain/csv';

describe('CSV (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks; CRLF line ends', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
    expect(csvRows([])).toBe('');
  });

  it('spreadsheet-safe mode defuses formulas but not numbers', () => {
    const safe = { spreadsheetSafe: true };
    expect(csvField('=SUM(A1)', safe)).toBe("'=SUM(A1)");
    expect(csvField('@cmd', safe)).toBe("'@cmd");
    expect(csvField('+1 555', safe)).toBe("'+1 555");
    expect(csvField('-12.50', safe)).toBe('-12.50');
    expect(csvField(-5, safe)).toBe('-5');
    expect(csvField('=a,b', safe)).toBe(`"'=a,b"`);
  });
});
