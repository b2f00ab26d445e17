/**
 * A small, forgiving XML reader for the documents media servers emit (nginx-rtmp's /stat). It builds a tree of
 * elements and text, decodes the five named entities and numeric references, skips declarations, processing
 * instructions, comments and doctypes, and never throws: what it cannot read becomes a problem in the result.
 * Not a validating parser, and it does not need to be one.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (children's text not included), entities decoded, trimmed. */
  text: string;
}

export interface XmlReadResult {
  root: XmlElement | null;
  /** False when the text ended inside a tag or with elements still open (a cut-short answer). */
  complete: boolean;
  problems: string[];
}

const MAX_DEPTH = 64;
const MAX_ELEMENTS = 500_000;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#')) {
      const code = ref.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

function newElement(name: string, attributes: Record<string, string>): XmlElement & { parts: string[] } {
  return { name, attributes, children: [], text: '', parts: [] };
}

function readAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([^\s=/]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    attributes[match[1]!] = decodeEntities(match[3] ?? match[4] ?? '');
  }
  return attributes;
}

/** Reads a document; the first top-level element is the root. */
export function readXml(xml: string): XmlReadResult {
  const problems: string[] = [];
  const stack: (XmlElement & { parts: string[] })[] = [];
  let root: (XmlElement & { parts: string[] }) | null = null;
  let elements = 0;
  let at = 0;
  let complete = true;

  const finish = (el: XmlElement & { parts: string[] }) => {
    el.text = decodeEntities(el.parts.join('')).trim();
  };

  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > at) {
      const text = xml.slice(at, textEnd);
      if (stack.length > 0) stack[stack.length - 1]!.parts.push(text);
      else if (text.trim()) problems.push('text outside the root element was ignored');
    }
    if (lt < 0) break;

    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      at = end < 0 ? xml.length : end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      const content = xml.slice(lt + 9, end < 0 ? xml.length : end);
      // CDATA is literal: protect its ampersands from entity decoding.
      if (stack.length > 0) stack[stack.length - 1]!.parts.push(content.replace(/&/g, '&amp;'));
      at = end < 0 ? xml.length : end + 3;
      continue;
    }
    if (xml.startsWith('<?', lt) || xml.startsWith('<!', lt)) {
      const end = xml.indexOf('>', lt + 2);
      at = end < 0 ? xml.length : end + 1;
      continue;
    }

    const gt = xml.indexOf('>', lt + 1);
    if (gt < 0) {
      problems.push(`unterminated tag at offset ${lt}`);
      complete = false;
      break;
    }
    const inner = xml.slice(lt + 1, gt).trim();
    at = gt + 1;

    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim();
      const open = stack.map((el) => el.name).lastIndexOf(name);
      if (open < 0) {
        problems.push(`closing tag </${name}> with no open <${name}> was ignored`);
        continue;
      }
      if (open < stack.length - 1) problems.push(`<${stack[stack.length - 1]!.name}> was not closed before </${name}>`);
      while (stack.length > open) finish(stack.pop()!);
      continue;
    }

    const selfClosing = inner.endsWith('/');
    const body = selfClosing ? inner.slice(0, -1) : inner;
    const nameMatch = /^[^\s/>]+/.exec(body);
    if (!nameMatch) {
      problems.push(`a tag without a name at offset ${lt} was ignored`);
      continue;
    }
    if (++elements > MAX_ELEMENTS) {
      problems.push(`more than ${MAX_ELEMENTS} elements: the rest was ignored`);
      break;
    }
    const element = newElement(nameMatch[0], readAttributes(body.slice(nameMatch[0].length)));
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (!root) root = element;
    else {
      problems.push(`a second top-level element <${element.name}> was ignored`);
      continue;
    }
    if (selfClosing) {
      finish(element);
      continue;
    }
    if (stack.length >= MAX_DEPTH) {
      problems.push(`elements nested deeper than ${MAX_DEPTH}: <${element.name}> was read as empty`);
      finish(element);
      continue;
    }
    stack.push(element);
  }

  if (stack.length > 0) {
    problems.push(`the document ended with <${stack[stack.length - 1]!.name}> still open`);
    complete = false;
  }
  while (stack.length > 0) finish(stack.pop()!);
  if (!root) problems.push('no root element');
  return { root: root ? strip(root) : null, complete, problems };
}

function strip(el: XmlElement & { parts?: string[] }): XmlElement {
  return { name: el.name, attributes: el.attributes, text: el.text, children: el.children.map(strip) };
}

export function childElements(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

export function childElement(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** The text of a child element, or undefined when the child is absent. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  return childElement(el, name)?.text;
}

export function hasChild(el: XmlElement | undefined, name: string): boolean {
  return childElement(el, name) !== undefined;
}
