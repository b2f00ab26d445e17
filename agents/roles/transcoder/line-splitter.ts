/** Splits a text stream into lines without readline's terminal machinery; a runaway line is cut, not buffered forever. */
export const MAX_LINE_CHARS = 16 * 1024;

export function createLineSplitter(onLine: (line: string) => void, maxLineChars = MAX_LINE_CHARS): (chunk: string) => void {
  let rest = '';
  return (chunk) => {
    let text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    text = text.slice(start);
    if (text.length > maxLineChars) {
      onLine(text.slice(0, maxLineChars));
      text = '';
    }
    rest = text;
  };
}
